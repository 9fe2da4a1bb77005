// Service settings: embedded defaults, env overrides, flags over env, first-start token file.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadTokens, resolveServeSettings } from "../../../automation/service/settings";
import { tempDir } from "../support";

describe("serve settings", () => {
  it("defaults to 127.0.0.1:8080 with SQLite under ~/.meshlift, and forces no Pulumi backend", () => {
    const s = resolveServeSettings({}, {}, "/home/u");
    assert.equal(s.host, "127.0.0.1");
    assert.equal(s.port, 8080);
    assert.equal(s.dbFile, "/home/u/.meshlift/meshlift.db");
    assert.equal(s.backendUrl, undefined, "the CLI's own login decides, as for `pulumi up`");
    assert.equal(resolveServeSettings({ backendUrl: "s3://b" }, {}, "/h").backendUrl, "s3://b");
    assert.deepEqual(s.tokenSource, { file: "/home/u/.meshlift/tokens" });
  });

  it("takes the environment, and flags over it", () => {
    const env = {
      MESHLIFT_PORT: "9000",
      MESHLIFT_HOME: "/srv/ml",
      PULUMI_BACKEND_URL: "s3://bucket",
      MESHLIFT_TOKENS: "admin:xxxxxxxxxxxxxxxxxxxx",
    };
    const s = resolveServeSettings({ port: "0" }, env, "/home/u");
    assert.equal(s.port, 0);
    assert.equal(s.dbFile, "/srv/ml/meshlift.db");
    assert.equal(s.backendUrl, undefined, "PULUMI_BACKEND_URL reaches the CLI as it is");
    assert.deepEqual(s.tokenSource, { env: "MESHLIFT_TOKENS" });
    assert.equal(loadTokens(s, env).tokens[0].scope, "admin");
  });

  it("names the flag and the value when a number is bad", () => {
    assert.throws(
      () => resolveServeSettings({ port: "http" }, {}, "/h"),
      /--port "http": must be a whole number from 0 to 65535/,
    );
  });

  it("writes an admin token file (0600) on a first start with no token configured", () => {
    const dir = tempDir();
    const s = resolveServeSettings({ dataDir: dir }, {}, "/h");
    const first = loadTokens(s, {});
    assert.equal(first.created, path.join(dir, "tokens"));
    assert.equal(fs.statSync(path.join(dir, "tokens")).mode & 0o777, 0o600);
    const second = loadTokens(s, {});
    assert.equal(second.created, undefined);
    assert.deepEqual(second.tokens, first.tokens);
  });
});
