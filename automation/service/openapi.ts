// The OpenAPI 3.1 document served at /openapi.json; the request body schema comes from the zod schema itself.
import { z } from "zod";
import { PHASES } from "../../phases/phases";
import { OPERATION_KINDS } from "../runners/runner";
import { operationBodySchema } from "./schemas";
import { OPERATION_STATUSES } from "./store";

const json = (schema: Record<string, unknown>) => ({ "application/json": { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: json(ref("Error")) });
const stackParam = {
  name: "stack",
  in: "path",
  required: true,
  description: "stack name (stacks/Pulumi.<stack>.yaml)",
  schema: { type: "string" },
};
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };

function bodySchema(): Record<string, unknown> {
  const s = z.toJSONSchema(operationBodySchema, { io: "input" }) as Record<string, unknown>;
  delete s.$schema;
  return s;
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
      schemas: {
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
      },
    },
    paths: {
      "/healthz": {
        get: {
          summary: "liveness",
          security: [],
          responses: { "200": { description: "up", content: json({ type: "object" }) } },
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
            "400": error("body is not JSON"),
            "401": error("no or invalid token"),
            "403": error("token lacks the scope (destroy needs admin)"),
            "404": error("unknown stack"),
            "409": error("the stack is busy and queue was false"),
            "413": error("body too large"),
            "422": error("invalid body, config or phase change (next allowed step in `next`)"),
            "503": error("the Pulumi CLI is missing (plan still works)"),
          },
        },
      },
      "/v1/operations/{id}": {
        get: {
          summary: "an operation",
          security: read,
          parameters: [idParam],
          responses: {
            "200": { description: "ok", content: json(ref("Operation")) },
            "404": error("unknown operation"),
          },
        },
      },
      "/v1/operations/{id}/events": {
        get: {
          summary:
            "Server-Sent Events: every engine event from the start (`event: engine`, `id` = sequence), " +
            "live ones as they arrive, then `event: end` with the operation. Send Last-Event-ID to resume.",
          security: read,
          parameters: [idParam],
          responses: {
            "200": { description: "event stream", content: { "text/event-stream": {} } },
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
            "404": error("unknown operation"),
            "409": error("already ended"),
          },
        },
      },
    },
  };
}
