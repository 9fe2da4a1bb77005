// Calls to the service on the same origin, with the token as a bearer header (no cookies: nothing for CSRF to ride on).
import type {
  Board,
  BoardDiff,
  BoardOperation,
  BoardRunbook,
  BoardStack,
  WhoAmI,
} from "../../automation/service/board-types";
import { getToken } from "./session";

/** An answer other than 2xx, with the service's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function authHeaders(token = getToken()): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: "omit",
      cache: "no-store",
      headers: {
        Accept: "application/json",
        ...authHeaders(),
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, `the service cannot be reached (${(e as Error).message})`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: { message?: unknown } & Record<string, unknown> } | undefined)
      ?.error;
    const message = typeof err?.message === "string" ? err.message : `HTTP ${res.status}`;
    throw new ApiError(res.status, message, err ?? {});
  }
  return json as T;
}

const seg = encodeURIComponent;

export const api = {
  whoami: () => call<WhoAmI>("GET", "/v1/whoami"),
  board: () => call<Board>("GET", "/v1/board"),
  stack: (stack: string) =>
    call<BoardStack & { discoveryError?: string }>("GET", `/v1/board/${seg(stack)}`),
  operations: (stack: string, before?: string) =>
    call<{ operations: BoardOperation[]; next: string | null }>(
      "GET",
      `/v1/stacks/${seg(stack)}/operations?limit=20${before ? `&before=${seg(before)}` : ""}`,
    ),
  operation: (id: string) => call<BoardOperation>("GET", `/v1/operations/${seg(id)}`),
  diff: (stack: string, phase: string) =>
    call<BoardDiff>("GET", `/v1/stacks/${seg(stack)}/diff?phase=${seg(phase)}`),
  runbook: (stack: string) => call<BoardRunbook>("GET", `/v1/stacks/${seg(stack)}/runbook`),
  submit: (stack: string, body: Record<string, unknown>) =>
    call<{ id: string; status: string }>("POST", `/v1/stacks/${seg(stack)}/operations`, body),
  cancel: (id: string) => call<BoardOperation>("POST", `/v1/operations/${seg(id)}/cancel`),
};
