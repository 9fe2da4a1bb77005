// Shared zod pieces for sections that describe Kubernetes things: names, resource quantities, requests/limits.
import { z } from "zod";
import { isDnsLabel } from "../../appmesh/names";

/** A DNS-1123 label: namespace and most object names. */
export const dnsLabel = z
  .string()
  .refine(
    isDnsLabel,
    "must be a Kubernetes name: lower-case letters, digits and -, at most 63 characters",
  );

/** CPU as the gateway chart's schema demands it: a string such as "500m" or "2". */
export const cpuQuantity = z
  .string()
  .regex(/^\d+(\.\d+)?m?$/, 'must be a CPU quantity string such as "500m" or "2"');

/** Memory as a string such as "512Mi" or "2Gi". */
export const memoryQuantity = z
  .string()
  .regex(
    /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/,
    'must be a memory quantity string such as "512Mi" or "2Gi"',
  );

export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Requests and limits, each with its own documented default. */
export function resourcesSchema(d: Resources) {
  const pair = (x: { cpu: string; memory: string }) =>
    z
      .object({ cpu: cpuQuantity.default(x.cpu), memory: memoryQuantity.default(x.memory) })
      .strict()
      .prefault({});
  return z
    .object({ requests: pair(d.requests), limits: pair(d.limits) })
    .strict()
    .prefault({});
}
