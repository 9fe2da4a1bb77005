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
