// The istio target's output on meshlift's fixtures, byte for byte (the rebuilt converter's parity-checked output).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { convert, toYaml } from "../../appmesh";
import { FIXTURES } from "./helpers";

const GOLDEN = path.join(FIXTURES, "istio-golden");

describe("istio target: byte-identical output on the fixtures", () => {
  for (const f of fs.readdirSync(GOLDEN).sort()) {
    it(f, () => {
      const input = fs
        .readdirSync(FIXTURES)
        .find((x) => x.replace(/\.(ya?ml|json)$/, ".yaml") === f)!;
      const opts = /api-route|cfn/.test(input) ? { namespace: "payments" } : {};
      const r = convert(
        [
          {
            path: `fixtures/${input}`,
            content: fs.readFileSync(path.join(FIXTURES, input), "utf8"),
          },
        ],
        opts,
      );
      // A deliberate change of the output regenerates these files; an accidental one fails here.
      const golden = fs.readFileSync(path.join(GOLDEN, f), "utf8").replace(/^#.*\n/, "");
      assert.equal(toYaml(r.objects), golden);
    });
  }
});
