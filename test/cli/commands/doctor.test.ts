// `meshlift doctor`: the prerequisite list, present and missing.
import { strict as assert } from "node:assert";
import { renderDoctor } from "../../../cli/commands/doctor";
import { checkPrerequisites } from "../../../automation/prerequisites";
import { tempDir } from "../../automation/support";

describe("meshlift doctor", () => {
  it("lists every prerequisite, says how to get the missing ones and what still works", () => {
    const text = renderDoctor(checkPrerequisites({ PATH: tempDir() }, tempDir()));
    assert.match(text, /^missing {2}pulumi /m);
    assert.match(text, /^missing {2}aws-credentials /m);
    assert.match(text, /^missing {2}kubectl /m);
    assert.match(text, /fix: install it with `curl -fsSL https:\/\/get\.pulumi\.com/);
    assert.match(text, /^missing {2}pulumi-backend +not logged in to any backend/m);
    assert.match(text, /^missing {2}aws-cli /m);
    assert.match(
      text,
      /Missing: pulumi, pulumi-version, pulumi-backend, aws-cli, aws-credentials, kubectl, secrets-passphrase\. The offline plan/,
    );
  });

  it("says all is well when everything is there", () => {
    const text = renderDoctor(
      checkPrerequisites(
        { PATH: "/nonexistent", AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" },
        tempDir(),
      ).map((p) => ({ ...p, present: true })),
    );
    assert.doesNotMatch(text, /missing/);
    assert.match(text, /All prerequisites found/);
  });
});
