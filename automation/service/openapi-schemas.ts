// The named schemas of the OpenAPI document (components.schemas): operations, events, the board's read models, errors.
import { z } from "zod";
import { PHASES } from "../../phases/phases";
import { OPERATION_KINDS } from "../runners/runner";
import { operationBodySchema } from "./schemas";
import { OPERATION_STATUSES } from "./records";

/** A reference to one of the named schemas. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const nullable = (type: string) => ({ type: [type, "null"] });
const count = { type: "integer", minimum: 0 };
export const phaseEnum = { type: "string", enum: [...PHASES] };

function bodySchema(): Record<string, unknown> {
  const s = z.toJSONSchema(operationBodySchema, { io: "input" }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

/** `components.schemas`: the request body's schema comes from the zod schema itself. */
export function componentSchemas(): Record<string, unknown> {
  return {
    OperationRequest: bodySchema(),
    Operation: {
      type: "object",
      required: ["id", "stack", "kind", "status", "createdAt"],
      properties: {
        id: { type: "string" },
        stack: { type: "string" },
        kind: { type: "string", enum: [...OPERATION_KINDS] },
        phase: { type: ["string", "null"], enum: [...PHASES, null] },
        config: { type: "object", additionalProperties: { type: "string" } },
        fromPhase: { type: ["string", "null"] },
        status: { type: "string", enum: [...OPERATION_STATUSES] },
        createdAt: { type: "string", format: "date-time" },
        startedAt: { type: ["string", "null"], format: "date-time" },
        finishedAt: { type: ["string", "null"], format: "date-time" },
        error: { type: ["string", "null"] },
        guidance: { type: ["string", "null"], description: "what to do next" },
        summary: { type: ["object", "null"] },
        events: { type: "integer", description: "engine events recorded so far" },
        startedBy: {
          type: ["string", "null"],
          description:
            "the submitting token's label, or its scope and SHA-256 prefix; never the token",
        },
        configRedacted: {
          type: "boolean",
          description:
            "secret values in config were replaced before storing (config shows <redacted>)",
        },
      },
    },
    BoardOperation: {
      type: "object",
      required: ["id", "kind", "status", "createdAt", "durationMs", "startedBy"],
      properties: {
        id: { type: "string" },
        kind: { type: "string" },
        phase: nullable("string"),
        fromPhase: nullable("string"),
        status: { type: "string", enum: [...OPERATION_STATUSES] },
        createdAt: { type: "string", format: "date-time" },
        startedAt: nullable("string"),
        finishedAt: nullable("string"),
        durationMs: { ...nullable("integer"), description: "finishedAt - startedAt" },
        startedBy: nullable("string"),
        error: nullable("string"),
        events: count,
      },
    },
    BoardStack: {
      type: "object",
      required: ["stack", "phase", "dns", "namespaces", "operations", "discovery"],
      properties: {
        stack: { type: "string" },
        phase: { ...nullable("string"), description: "deployed, else configured" },
        configuredPhase: nullable("string"),
        deployedPhase: nullable("string"),
        configError: nullable("string"),
        istio: {
          oneOf: [
            { type: "null" },
            {
              type: "object",
              properties: {
                mode: { type: "string" },
                version: { type: "string" },
                installed: { type: "boolean" },
                source: { type: "string", enum: ["deployed", "configured"] },
              },
            },
          ],
        },
        dns: {
          type: "array",
          description: "weights per cutover hostname in the current phase; null: no such record",
          items: {
            type: "object",
            properties: {
              hostname: { type: "string" },
              appmesh: nullable("integer"),
              istio: nullable("integer"),
            },
          },
        },
        namespaces: {
          type: "array",
          items: {
            type: "object",
            properties: {
              name: { type: "string" },
              state: { type: "string", enum: ["appmesh", "istio"] },
              status: {
                type: "string",
                enum: ["on-appmesh", "waiting-for-workloads", "on-istio"],
              },
            },
          },
        },
        runningOperation: nullable("string"),
        queuedOperations: { type: "array", items: { type: "string" } },
        operations: {
          type: "array",
          items: ref("BoardOperation"),
          description: "newest first",
        },
        operationCount: count,
        discovery: {
          description: "from <discovery dir>/<stack>/inventory.json; null when absent",
          oneOf: [
            { type: "null" },
            {
              type: "object",
              properties: {
                file: { type: "string" },
                generatedAt: nullable("string"),
                atRisk: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      namespace: { type: "string" },
                      pods: count,
                      restartSoon: { type: "boolean" },
                    },
                  },
                },
                atRiskPods: count,
                precheck: {
                  type: "object",
                  properties: { blocker: count, warning: count, info: count },
                },
              },
            },
          ],
        },
        discoveryError: {
          type: "string",
          description: "inventory.json present but unreadable",
        },
      },
    },
    BoardDiff: {
      type: "object",
      properties: {
        stack: { type: "string" },
        from: phaseEnum,
        to: phaseEnum,
        changes: {
          type: "array",
          items: {
            type: "object",
            properties: {
              kind: { type: "string", enum: ["create", "update", "replace", "delete"] },
              type: { type: "string" },
              name: { type: "string" },
              urn: { type: "string" },
              changedInputs: { type: "array", items: { type: "string" } },
              replaceBecause: { type: "array", items: { type: "string" } },
            },
          },
        },
        counts: {
          type: "object",
          properties: { create: count, update: count, replace: count, delete: count },
        },
        unchanged: count,
        protectedChanges: {
          type: "array",
          items: {
            type: "object",
            properties: { what: { type: "string" }, urn: { type: "string" } },
          },
        },
        text: { type: "string", description: "as `meshlift plan --diff-phase` prints it" },
      },
    },
    Stack: {
      type: "object",
      properties: {
        stack: { type: "string" },
        phase: { type: "string", enum: [...PHASES], description: "deployed, else configured" },
        configuredPhase: { type: "string", enum: [...PHASES] },
        deployedPhase: { type: ["string", "null"] },
        lastOperation: { oneOf: [ref("Operation"), { type: "null" }] },
        runningOperation: { type: ["string", "null"] },
        queuedOperations: { type: "array", items: { type: "string" } },
        outputs: { type: "object", description: "secret values read [secret]" },
        outputsFrom: { type: ["string", "null"], description: "operation that produced them" },
        configError: {
          type: "string",
          description: "present when the stack file does not parse; names every bad key",
        },
      },
    },
    Error: {
      type: "object",
      required: ["error"],
      properties: {
        error: {
          type: "object",
          required: ["status", "message"],
          properties: {
            status: { type: "integer" },
            message: { type: "string" },
            fields: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  path: { type: "string" },
                  given: {},
                  message: { type: "string" },
                },
              },
            },
            next: { type: ["string", "null"], description: "the next allowed phase" },
          },
        },
      },
    },
  };
}
