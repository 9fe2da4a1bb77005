// Files users name: read bounded in size, written and their directories made, each failure a FileError naming the path and the reason.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  FileError,
  fileError,
  fsReason,
  makeDir,
  readTextFile,
  writeTextFile,
} from "../../config/files";

describe("config files", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-files-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const refused = (run: () => unknown, file: string, reason: RegExp, code?: string) =>
    assert.throws(run, (e: unknown) => {
      assert.ok(e instanceof FileError, String(e));
      assert.equal(e.file, file);
      assert.match(e.reason, reason);
      assert.equal(e.message, `${file}: ${e.reason}`);
      if (code) assert.equal(e.code, code);
      return true;
    });

  it("reads a file up to its limit, and names a missing file, a directory and one too large", () => {
    const f = path.join(dir, "a.yaml");
    fs.writeFileSync(f, "phase: parallel\n");
    assert.equal(readTextFile(f, 100), "phase: parallel\n");
    refused(
      () => readTextFile(path.join(dir, "none"), 10),
      path.join(dir, "none"),
      /^no such file or directory \(ENOENT\)$/,
      "ENOENT",
    );
    refused(() => readTextFile(dir, 10), dir, /^is a directory$/, "EISDIR");
    refused(
      () => readTextFile(f, 4),
      f,
      /^is too large: 16 bytes, at most 4 bytes are read$/,
      "EFBIG",
    );
  });

  it("writes a file, and names the path it cannot write", () => {
    const f = path.join(dir, "out.json");
    writeTextFile(f, "{}");
    assert.equal(fs.readFileSync(f, "utf8"), "{}");
    const missing = path.join(dir, "no", "out.json");
    refused(() => writeTextFile(missing, "{}"), missing, /ENOENT/);
  });

  it("makes a directory and its parents, and refuses a path through a file", () => {
    const deep = path.join(dir, "a", "b", "c");
    makeDir(deep);
    assert.ok(fs.statSync(deep).isDirectory());
    makeDir(deep); // already there: nothing to do
    const file = path.join(dir, "f");
    fs.writeFileSync(file, "");
    refused(() => makeDir(file), file, /^exists and is not a directory$/, "ENOTDIR");
    const sub = path.join(file, "sub");
    refused(
      () => makeDir(sub),
      sub,
      /^a part of the path is not a directory \(ENOTDIR\)$/,
      "ENOTDIR",
    );
  });

  it("words each errno for people, and keeps a FileError as it is", () => {
    const errno = (code: string) => Object.assign(new Error("x"), { code });
    assert.equal(fsReason(errno("EACCES")), "permission denied (EACCES)");
    assert.equal(fsReason(errno("EWHATEVER")), "EWHATEVER");
    assert.equal(fsReason(new Error("plain")), "plain");
    assert.equal(fsReason("text"), "text");
    const e = new FileError("f", "r", "EIO");
    assert.equal(fileError("other", e), e);
    assert.deepEqual(
      [fileError("g", errno("ENOSPC")).message, fileError("g", errno("ENOSPC")).code],
      ["g: no space left on device (ENOSPC)", "ENOSPC"],
    );
  });
});
