// What Pulumi mocks receive for a registered resource, and how a secret input looks there.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

/** A resource as a plain mock's newResource sees it. */
export interface Seen {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** Unwraps a secret as mocks receive it; fails when the value is not marked secret. */
export function secretValue(v: unknown, what: string): unknown {
  const o = v as Record<string, unknown>;
  assert.equal(
    o?.[pulumi.runtime.specialSigKey],
    pulumi.runtime.specialSecretSig,
    `${what} must be a Pulumi secret`,
  );
  return o.value;
}
