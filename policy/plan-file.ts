// Reads a plan document (`meshlift plan --json`) back for `meshlift policy check`: size-capped, parsed, checked field by field.
import * as fs from "node:fs";
import { z } from "zod";
import type { PlanLike } from "./subject";

/** Plan documents of real stacks are well under a megabyte; anything this large is not one. */
export const MAX_PLAN_BYTES = 64 * 1024 * 1024;

const resourceSchema = z.object({
  urn: z.string().min(1).max(4096),
  type: z.string().min(1).max(512),
  name: z.string().max(1024),
  parent: z.string().nullable().optional(),
  inputs: z.record(z.string(), z.unknown()),
  dependsOn: z.array(z.string()).optional(),
  provider: z.string().nullable().optional(),
  protect: z.boolean(),
});

const documentSchema = z.object({
  project: z.string(),
  stack: z.string(),
  phase: z.string(),
  resources: z.array(resourceSchema).max(100_000),
  outputs: z.record(z.string(), z.unknown()),
});

/** A plan file that cannot be checked, with the reason (file, field, what was expected). */
export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanFileError";
  }
}

export function readPlanFile(file: string): PlanLike {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new PlanFileError(`${file}: not a file`);
    if (st.size > MAX_PLAN_BYTES) {
      throw new PlanFileError(
        `${file}: ${st.size} bytes; a plan document is at most ${MAX_PLAN_BYTES}`,
      );
    }
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof PlanFileError) throw e;
    throw new PlanFileError(
      `${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (e) {
    throw new PlanFileError(
      `${file}: not JSON (${(e as Error).message}); write one with \`meshlift plan --json\``,
    );
  }
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((i) => {
      const at = i.path.map(String).join(".") || "(document)";
      return `${at}: ${i.message}`;
    });
    const more =
      parsed.error.issues.length > 10 ? ` (and ${parsed.error.issues.length - 10} more)` : "";
    throw new PlanFileError(`${file}: not a plan document: ${problems.join("; ")}${more}`);
  }
  return parsed.data;
}
