// `meshlift serve` as registered: every flag names the environment variable that sets it too; unknown flags exit 2 before a server starts.
import * as assert from "node:assert/strict";
import { registerServe } from "../../../cli/register/serve";
import { SERVE_ENV } from "../../../automation/service/serve-env";
import { assertRefused, optionLines, registeredCommand } from "../../support/cli";

describe("registerServe", () => {
  const serve = registeredCommand(registerServe, "serve");

  it("registers serve with its flags, none mandatory and no defaults of commander's (the command resolves them)", () => {
    assert.deepEqual(optionLines(serve), [
      "--host <host>",
      "--port <port>",
      "--data-dir <dir>",
      "--db <file>",
      "--tokens-file <file>",
      "--backend-url <url>",
      "--max-concurrent <n>",
      "--max-body-bytes <n>",
      "--db-max-bytes <n>",
      "--project-dir <dir>",
      "--runner <runner>",
      "--operator-namespace <ns>",
      "--kubeconfig <file>",
      "--policy-packs <dirs>",
      "--plan-workers <n>",
    ]);
  });

  it("names in each flag's help the environment variable that sets it", () => {
    const help = new Map(serve.options.map((o) => [o.attributeName(), o.description]));
    for (const [key, variable] of Object.entries(SERVE_ENV))
      assert.ok(help.get(key)?.includes(`[${variable}`), `--${key}: ${help.get(key)}`);
  });

  it("refuses an unknown flag and an argument with exit 2", async () => {
    await assertRefused(["serve", "--listen", "0.0.0.0"], /unknown option '--listen'/);
    await assertRefused(["serve", "now"], /too many arguments for 'serve'/);
  });
});
