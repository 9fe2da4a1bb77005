// The AWS identity keys (aws:profile, aws:assumeRoles, the legacy aws:assumeRole): what the kubeconfig's get-token uses, and each bad value a problem naming the key.
import * as assert from "node:assert/strict";
import { ConfigProblem } from "../../../config/errors";
import { awsIdentity } from "../../../config/sections/aws";

const ROLE = "arn:aws:iam::123456789012:role/deploy";

function read(flat: Record<string, string>) {
  const problems: ConfigProblem[] = [];
  return { identity: awsIdentity(flat, problems), problems };
}

describe("config aws", () => {
  it("reads nothing when no identity key is set", () => {
    assert.deepEqual(read({ "aws:region": "eu-west-1" }), { identity: {}, problems: [] });
  });

  it("takes the profile, and the last role of aws:assumeRoles (the one the provider ends up as)", () => {
    const other = "arn:aws:iam::123456789012:role/hop";
    assert.deepEqual(
      read({
        "aws:profile": "ops",
        "aws:assumeRoles": JSON.stringify([
          { roleArn: other },
          { roleArn: ROLE, sessionName: "x" },
        ]),
      }),
      { identity: { profile: "ops", roleArn: ROLE }, problems: [] },
    );
    assert.deepEqual(read({ "aws:assumeRole": JSON.stringify({ roleArn: ROLE }) }).identity, {
      roleArn: ROLE,
    });
  });

  it("names the key and the value of a bad profile or role", () => {
    const { identity, problems } = read({
      "aws:profile": "no spaces allowed",
      "aws:assumeRoles": JSON.stringify([{ roleArn: "arn:aws:iam::1:user/bob" }]),
    });
    assert.deepEqual(identity, {});
    assert.deepEqual(
      problems.map((p) => [p.key, p.message]),
      [
        ["aws:profile", "must be an AWS CLI profile name (letters, digits, . _ - + @)"],
        ["aws:assumeRoles", 'must be a list of {roleArn: "arn:aws:iam::<account>:role/<name>"}'],
      ],
    );
    assert.equal(problems[0].given, "no spaces allowed");
    const legacy = read({ "aws:assumeRole": "not json" }).problems;
    assert.deepEqual(
      legacy.map((p) => [p.key, p.given]),
      [["aws:assumeRole", ["not json"]]],
    );
  });
});
