// Where the meshlift project is (Pulumi.yaml, stacks/, web/): the package root, whether the code runs from its sources or from the compiled dist/.

import * as fs from "node:fs";
import * as path from "node:path";

/** The nearest directory at or above `from` that holds Pulumi.yaml. */
export function findProjectRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(
        `no Pulumi.yaml at or above ${from}: meshlift runs from its package directory`,
      );
  }
}

/** The project directory of this copy of meshlift (a checkout, or an installed package). */
export const PROJECT_ROOT = findProjectRoot(__dirname);
