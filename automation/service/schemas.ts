// Request bodies and response shapes of the service, as zod schemas (validation) and JSON Schema (OpenAPI).
import { z } from "zod";
import { PHASES } from "../../phases/phases";
import { FORBIDDEN_SEGMENTS, forbiddenSegment, splitKey } from "../../config/keys";
import { redact } from "../../config/schema-paths";
import { shownValue } from "../../config/redact";
import { qualifyKey } from "../../config/stack-file";
import { OPERATION_KINDS } from "../runners/runner";
import type { FieldError } from "./errors";

export const CONFIG_KEY = /^[A-Za-z][\w-]*(:[\w-]+)?(\.[\w-]+)*$/;

export const operationBodySchema = z
  .object({
    kind: z.enum(OPERATION_KINDS).describe("plan is offline; the others use the Automation API"),
    phase: z.enum(PHASES).optional().describe("sets meshlift:phase for this operation"),
    config: z
      .record(
        z
          .string()
          .max(256, "must be a config key of at most 256 characters")
          .regex(CONFIG_KEY, "must be a config key such as cutover.istioWeight or aws:region")
          .refine((k) => forbiddenSegment(k.split(/[:.]/)) === undefined, {
            message: `must not contain ${[...FORBIDDEN_SEGMENTS].join(", ")} segments`,
          }),
        z.union([z.string(), z.number(), z.boolean()]),
      )
      .optional()
      .describe("extra config as `pulumi config set` takes it; meshlift: is implied"),
    queue: z
      .boolean()
      .default(true)
      .describe("wait behind an operation already running on the stack (false: 409 instead)"),
    confirm: z.string().optional().describe("required for destroy: the stack name"),
    dryRun: z
      .boolean()
      .optional()
      .describe(
        "cutover only: judge each step with the offline plan instead of `up`; nothing is applied",
      ),
  })
  .strict();

export type OperationBody = z.infer<typeof operationBodySchema>;

/**
 * zod issues as the `fields` of a 422 answer: path, what was given (redacted, bounded), what is
 * allowed. At most 20 fields: a body of a thousand bad keys gets a short answer.
 */
export function fieldErrors(error: z.ZodError, body: unknown): FieldError[] {
  return error.issues.slice(0, MAX_FIELDS).flatMap((i): FieldError[] => {
    const path = i.path.map(String);
    if (i.code === "unrecognized_keys") {
      return i.keys.slice(0, MAX_FIELDS).map((k) => ({
        path: shownPath([...path, k]),
        given: givenAt(body, [...path, k]),
        message: `unknown field (allowed: ${Object.keys(operationBodySchema.shape).join(", ")})`,
      }));
    }
    const given = givenAt(body, path);
    let message = i.message;
    // A refused record key: zod's own message is "Invalid key in record"; the key's rules say why.
    if (i.code === "invalid_key") message = i.issues.map((k) => k.message).join("; ");
    else if (i.code === "invalid_value")
      message = `must be one of: ${i.values.map((v) => JSON.stringify(v)).join(", ")}`;
    else if (i.code === "invalid_type" && given === undefined) message = "is required";
    return [{ path: shownPath(path) || "(body)", given, message }];
  });
}

const MAX_FIELDS = 20;

/** A body value as a 422 may show it: config values redacted like config errors, all bounded. */
function givenAt(body: unknown, path: readonly string[]): unknown {
  const v = valueAt(body, path);
  if (v === undefined) return undefined;
  const redacted =
    path[0] === "config" && path.length > 1
      ? redact(v, splitKey(qualifyKey(path[1])).key.split("."))
      : redact(v, path);
  return shownValue(redacted);
}

function shownPath(path: readonly string[]): string {
  const s = path.join(".");
  return s.length > 120 ? `${s.slice(0, 120)}...` : s;
}

function valueAt(v: unknown, path: readonly string[]): unknown {
  let node = v;
  for (const seg of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}
