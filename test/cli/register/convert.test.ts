// `meshlift convert` as registered: repeatable -f, stdout by default, the targets it accepts (not all); a bad one refused with exit 2.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { registerConvert } from "../../../cli/register/convert";
import { assertRefused, cli, optionLines, registeredCommand } from "../../support/cli";

const FIXTURES = path.resolve(__dirname, "../../fixtures/appmesh");

describe("registerConvert", () => {
  it("registers convert with repeatable -f, output to stdout, a default namespace and the three targets", () => {
    assert.deepEqual(optionLines(registeredCommand(registerConvert, "convert")), [
      "-f, --filename <path> default []",
      '-o, --output <dir|-> default "-"',
      "--report <file.json>",
      '-n, --namespace <ns> default "default"',
      "-t, --target <target> choices istio|gateway-api|ambient",
      "-s, --stack <stack>",
    ]);
  });

  it("refuses an unknown target with exit 2", async () => {
    const r = await cli("convert", "-f", path.join(FIXTURES, "shop.yaml"), "-t", "linkerd");
    assert.equal(r.code, 2);
    assert.match(r.err, /Allowed choices are istio, gateway-api, ambient/);
  });

  it("refuses all (a precheck-only target) and an unknown one with exit 2", async () => {
    for (const t of ["all", "Istio"])
      await assertRefused(
        ["convert", "-f", "x.yaml", "--target", t],
        new RegExp(
          `argument '${t}' is invalid\\. Allowed choices are istio, gateway-api, ambient\\.`,
        ),
      );
  });
});
