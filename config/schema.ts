// The one zod schema for the `meshlift:` stack config namespace. Each section lives in config/sections/.
import { z } from "zod";
import { PHASES } from "../phases/phases";
import { clusterSchema } from "./sections/cluster";
import { cutoverSchema } from "./sections/cutover";
import { appmeshSchema, migrationSchema } from "./sections/migration";
import { istioSchema } from "./sections/istio";
import { observabilitySchema } from "./sections/observability";
import { securitySchema } from "./sections/security";
import { multiClusterSchema } from "./sections/multicluster";
import { fleetSchema } from "./sections/fleet";

/** Rules across sections live in config/cross-section.ts, so that one bad section hides none of them. */
export const meshliftSchema = z
  .object({
    /** Environment name (dev, staging, prod...), used in resource names and tags. */
    environment: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{0,23}$/,
        "must be lower-case letters, digits and -, at most 24 characters",
      ),
    /** The migration phase this stack should be in. @default discovery */
    phase: z.enum(PHASES).default("discovery"),
    /** Allow moving forward more than one phase in a single `pulumi up`. @default false */
    allowPhaseSkip: z.boolean().default(false),
    cluster: clusterSchema,
    migration: migrationSchema.prefault({}),
    cutover: cutoverSchema.prefault({}),
    appmesh: appmeshSchema.prefault({}),
    istio: istioSchema.prefault({}),
    security: securitySchema.prefault({}),
    observability: observabilitySchema.prefault({}),
    /** One mesh over several cluster stacks (shared root CA, remote secrets). @default absent: single cluster */
    multiCluster: multiClusterSchema.optional(),
    /** A management stack: the operator and one Stack per environment on this cluster. @default absent */
    fleet: fleetSchema.optional(),
  })
  .strict();

/** Top-level keys whose values are plain strings; every other value is parsed as JSON when it parses. */
export const STRING_KEYS: ReadonlySet<string> = new Set(["environment", "phase"]);

export type MeshliftSchemaOutput = z.infer<typeof meshliftSchema>;
