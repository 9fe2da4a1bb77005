// The OpenAPI 3.1 document served at /openapi.json: its paths, with the named schemas from openapi-schemas.ts.
import { componentSchemas, nullable, phaseEnum, ref } from "./openapi-schemas";

const json = (schema: Record<string, unknown>) => ({ "application/json": { schema } });
const error = (description: string) => ({ description, content: json(ref("Error")) });
const stackParam = {
  name: "stack",
  in: "path",
  required: true,
  description: "stack name (stacks/Pulumi.<stack>.yaml)",
  schema: { type: "string" },
};
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
const boardReadErrors = {
  "400": error("a path segment is not valid percent-encoding"),
  "401": error("no or invalid token"),
  "404": error("unknown stack"),
  "414": error("request target too long"),
  "422": error("unknown, repeated or invalid query parameter"),
};

/** A GET of the board's read API: read scope, its answer's schema, and the errors they share. */
function readGet(
  summary: string,
  schema: Record<string, unknown>,
  o: { parameters?: unknown[]; errors?: Record<string, unknown> } = {},
): { get: Record<string, unknown> } {
  return {
    get: {
      summary,
      security: [{ bearer: ["read"] }],
      ...(o.parameters ? { parameters: o.parameters } : {}),
      responses: {
        "200": { description: "ok", content: json(schema) },
        ...boardReadErrors,
        ...o.errors,
      },
    },
  };
}

export function openApiDocument(version: string): Record<string, unknown> {
  const read = [{ bearer: ["read"] }];
  const operate = [{ bearer: ["operate"] }];
  return {
    openapi: "3.1.0",
    info: {
      title: "meshlift automation API",
      version,
      description:
        "Durable, asynchronous operations on meshlift stacks: submit, then follow the events. " +
        "Scopes: read < operate < admin (destroy needs admin).",
    },
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "a token from the token file or env",
        },
      },
      schemas: componentSchemas(),
    },
    paths: {
      "/healthz": {
        get: {
          summary: "liveness, and the Pulumi backend operations use",
          security: [],
          responses: {
            "200": {
              description: "up",
              content: json({
                type: "object",
                required: ["status", "backend"],
                properties: {
                  status: { type: "string", enum: ["ok"] },
                  backend: {
                    type: "object",
                    required: ["source"],
                    properties: {
                      url: { type: "string" },
                      source: {
                        type: "string",
                        enum: ["configured", "PULUMI_BACKEND_URL", "pulumi login", "none"],
                      },
                    },
                  },
                },
              }),
            },
          },
        },
      },
      "/openapi.json": {
        get: {
          summary: "this document",
          security: [],
          responses: { "200": { description: "ok" } },
        },
      },
      "/v1/stacks": {
        get: {
          summary: "stacks with a config file",
          security: read,
          responses: {
            "200": {
              description: "ok",
              content: json({
                type: "object",
                properties: { stacks: { type: "array", items: ref("Stack") } },
              }),
            },
            "401": error("no or invalid token"),
          },
        },
      },
      "/v1/stacks/{stack}": {
        get: {
          summary: "phase, last operation and outputs (secrets redacted) of a stack",
          security: read,
          parameters: [stackParam],
          responses: {
            "200": { description: "ok", content: json(ref("Stack")) },
            "401": error("no or invalid token"),
            "403": error("token lacks the scope"),
            "404": error("unknown stack"),
          },
        },
      },
      "/v1/stacks/{stack}/operations": {
        ...readGet(
          "a stack's operations, newest first, a page at a time",
          {
            type: "object",
            properties: {
              operations: { type: "array", items: ref("BoardOperation") },
              next: { ...nullable("string"), description: "`before` for the next page" },
            },
          },
          {
            parameters: [
              stackParam,
              {
                name: "limit",
                in: "query",
                schema: { type: "integer", minimum: 1, maximum: 100, default: 20 },
              },
              {
                name: "before",
                in: "query",
                description: "an operation id: the page after it",
                schema: { type: "string" },
              },
            ],
          },
        ),
        post: {
          summary: "submit an operation; recorded before the answer",
          security: operate,
          parameters: [stackParam],
          requestBody: { required: true, content: json(ref("OperationRequest")) },
          responses: {
            "202": {
              description: "accepted and recorded",
              content: json({
                type: "object",
                properties: { id: { type: "string" }, status: { type: "string" } },
              }),
            },
            "400": error("body is not JSON, or nests deeper than 8 levels"),
            "401": error("no or invalid token"),
            "403": error("token lacks the scope (destroy needs admin)"),
            "404": error("unknown stack"),
            "409": error("the stack is busy and queue was false"),
            "413": error("body too large"),
            "415": error("Content-Type is not application/json"),
            "422": error(
              "invalid body, config (__proto__/prototype/constructor keys included) or phase change (next allowed step in `next`)",
            ),
            "503": error(
              "the Pulumi CLI is missing (plan and cutover with dryRun still work), or the database refuses writes",
            ),
            "507": error("the database is full: nothing was recorded; reads still work"),
          },
        },
      },
      "/v1/whoami": readGet("the scope and recorded identity of the presented token", {
        type: "object",
        properties: {
          scope: { type: "string", enum: ["read", "operate", "admin"] },
          identity: { type: "string" },
        },
      }),
      "/v1/board": readGet(
        "every stack as the migration board shows it, with its last operations",
        {
          type: "object",
          properties: {
            generatedAt: { type: "string", format: "date-time" },
            phases: { type: "array", items: phaseEnum },
            operationKinds: { type: "array", items: { type: "string" } },
            stacks: { type: "array", items: ref("BoardStack") },
          },
        },
      ),
      "/v1/board/{stack}": readGet("one stack as the migration board shows it", ref("BoardStack"), {
        parameters: [stackParam],
      }),
      "/v1/stacks/{stack}/diff": readGet(
        "offline diff from the stack's current phase to `phase` (default the next): create, update, replace, delete",
        ref("BoardDiff"),
        {
          parameters: [stackParam, { name: "phase", in: "query", schema: phaseEnum }],
          errors: {
            "422": error(
              "bad query, a config error, or a phase change the service refuses (`next`)",
            ),
          },
        },
      ),
      "/v1/stacks/{stack}/runbook": readGet(
        "the Markdown runbook of the stack's configured phase",
        {
          type: "object",
          properties: { stack: { type: "string" }, phase: phaseEnum, markdown: { type: "string" } },
        },
        { parameters: [stackParam], errors: { "422": error("the stack file does not parse") } },
      ),
      "/v1/operations/{id}": {
        get: {
          summary: "an operation",
          security: read,
          parameters: [idParam],
          responses: {
            "200": { description: "ok", content: json(ref("Operation")) },
            "401": error("no or invalid token"),
            "404": error("unknown operation"),
          },
        },
      },
      "/v1/operations/{id}/events": {
        get: {
          summary:
            "Server-Sent Events: every engine event from the start (`event: engine`, `id` = sequence), " +
            "live ones as they arrive, then `event: end` with the operation. Send Last-Event-ID to resume. " +
            "A `cutover` operation sends one `event: decision` per decision ({cutoverEvent: {type: decision, step, " +
            "weight, decision, reason, metrics[]}, line}) and `event: cutover` for its other steps (start, applying, applied, end); " +
            "`line` is the text `meshlift cutover run` prints for the event.",
          security: read,
          parameters: [idParam],
          responses: {
            "200": { description: "event stream", content: { "text/event-stream": {} } },
            "401": error("no or invalid token"),
            "404": error("unknown operation"),
          },
        },
      },
      "/v1/operations/{id}/cancel": {
        post: {
          summary: "cancel a queued or running operation",
          security: operate,
          parameters: [idParam],
          responses: {
            "202": { description: "cancel requested", content: json(ref("Operation")) },
            "401": error("no or invalid token"),
            "403": error("token lacks the scope"),
            "404": error("unknown operation"),
            "409": error("already ended"),
          },
        },
      },
    },
  };
}
