// Request bodies and response shapes of the service, as zod schemas (validation) and JSON Schema (OpenAPI).
import { z } from "zod";
import { PHASES } from "../../phases/phases";
import { OPERATION_KINDS } from "../runners/runner";
import type { FieldError } from "./operations";

export const CONFIG_KEY = /^[A-Za-z][\w-]*(:[\w-]+)?(\.[\w-]+)*$/;

export const operationBodySchema = z
  .object({
    kind: z.enum(OPERATION_KINDS).describe("plan is offline; the others use the Automation API"),
    phase: z.enum(PHASES).optional().describe("sets meshlift:phase for this operation"),
    config: z
      .record(
        z
          .string()
          .regex(CONFIG_KEY, "must be a config key such as cutover.istioWeight or aws:region"),
        z.union([z.string(), z.number(), z.boolean()]),
      )
      .optional()
      .describe("extra config as `pulumi config set` takes it; meshlift: is implied"),
    queue: z
      .boolean()
      .default(true)
      .describe("wait behind an operation already running on the stack (false: 409 instead)"),
    confirm: z.string().optional().describe("required for destroy: the stack name"),
  })
  .strict();

export type OperationBody = z.infer<typeof operationBodySchema>;

/** zod issues as the `fields` of a 422 answer: path, what was given, what is allowed. */
export function fieldErrors(error: z.ZodError, body: unknown): FieldError[] {
  return error.issues.flatMap((i): FieldError[] => {
    const path = i.path.map(String);
    if (i.code === "unrecognized_keys") {
      return i.keys.map((k) => ({
        path: [...path, k].join("."),
        given: valueAt(body, [...path, k]),
        message: `unknown field (allowed: ${Object.keys(operationBodySchema.shape).join(", ")})`,
      }));
    }
    const given = valueAt(body, path);
    let message = i.message;
    if (i.code === "invalid_value")
      message = `must be one of: ${i.values.map((v) => JSON.stringify(v)).join(", ")}`;
    else if (i.code === "invalid_type" && given === undefined) message = "is required";
    return [{ path: path.join(".") || "(body)", given, message }];
  });
}

function valueAt(v: unknown, path: readonly string[]): unknown {
  let node = v;
  for (const seg of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}
