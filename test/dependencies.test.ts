// Mocks only reach the program if every @pulumi package shares one copy of @pulumi/pulumi.
import * as assert from "node:assert/strict";
import * as path from "node:path";

describe("dependencies", () => {
  it("resolve exactly one copy of @pulumi/pulumi", () => {
    const root = require.resolve("@pulumi/pulumi");
    for (const pkg of [
      "@pulumi/aws",
      "@pulumi/eks",
      "@pulumi/kubernetes",
      "@pulumi/awsx",
      "@pulumi/tls",
    ]) {
      const from = path.dirname(require.resolve(`${pkg}/package.json`));
      assert.equal(
        require.resolve("@pulumi/pulumi", { paths: [from] }),
        root,
        `${pkg} uses its own @pulumi/pulumi`,
      );
    }
  });
});
