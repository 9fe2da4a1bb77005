// Parsing a flat stack config in tests, and the one ConfigError a bad one must raise.
import * as assert from "node:assert/strict";
import { ConfigError } from "../../config/errors";
import { parseConfig } from "../../config/load";

/** The ConfigError that parsing `flat` raises; fails the test when it parses or throws anything else. */
export function configError(flat: Record<string, string>, stack = "test"): ConfigError {
  try {
    parseConfig(stack, flat);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e;
  }
  assert.fail("expected a ConfigError");
}

/** A minimal valid stack: dev, eu-west-1, an adopted cluster. */
export const EXISTING_CLUSTER_STACK: Readonly<Record<string, string>> = {
  "aws:region": "eu-west-1",
  "meshlift:environment": "dev",
  "meshlift:cluster": JSON.stringify({ mode: "existing", name: "c" }),
};

/** The minimal stack with `extra` keys, parsed. */
export function parseStack(extra: Record<string, string>) {
  return parseConfig("test", { ...EXISTING_CLUSTER_STACK, ...extra });
}

/** The message of the ConfigError the minimal stack with `extra` keys raises. */
export function stackProblems(extra: Record<string, string>): string {
  return configError({ ...EXISTING_CLUSTER_STACK, ...extra }).message;
}
