// Hostile-input test support: raw HTTP requests, the "still serving" check, a pollution guard, a throwaway key, bounded CLI runs.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { call, get } from "../automation/support";

/** Fails if `fn` added a key to Object.prototype (removed again, so that other cases still run). */
export async function unpolluted(fn: () => Promise<void>): Promise<void> {
  const before = new Set(Object.getOwnPropertyNames(Object.prototype));
  try {
    await fn();
  } finally {
    const added = Object.getOwnPropertyNames(Object.prototype).filter((k) => !before.has(k));
    for (const k of added) delete (Object.prototype as Record<string, unknown>)[k];
    assert.deepEqual(added, [], `Object.prototype gained ${added.join(", ")}`);
  }
}

/** A raw request: any method, path, headers and body bytes, as an attacker sends them. */
export function rawRequest(
  url: string,
  o: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method: o.method ?? "GET",
        path: o.path,
        headers: o.headers,
        timeout: 20_000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer to ${o.method} ${o.path}`)));
    req.on("error", reject);
    req.end(o.body);
  });
}

/** The server still tells an unauthenticated request from an authenticated one. */
export async function stillServing(url: string): Promise<void> {
  assert.equal((await call(url, "GET", "/v1/stacks")).status, 401, "no token: 401");
  const ok = await get(url, "/v1/stacks");
  assert.equal(ok.status, 200, "read token: 200");
  assert.ok(Array.isArray(ok.body.stacks));
  assert.equal((await get(url, "/v1/stacks", "wrong-token-0123456789abcdef")).status, 401);
}

export function pemKey(): string {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
}

const ROOT = path.resolve(__dirname, "..", "..");

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Whether tests can drop to an unprivileged user (root ignores file modes, so EACCES needs one). */
export const CAN_DROP_PRIVILEGES = process.getuid?.() === 0;
/** The user an unprivileged run uses (nobody), or this process's own when it is not root. */
export const UNPRIVILEGED = CAN_DROP_PRIVILEGES
  ? { uid: 65534, gid: 65534 }
  : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

/**
 * Runs the meshlift CLI as a user does (a new process, tsx), bounded: a run that hangs is killed
 * after `timeoutMs` and reported with its signal, so a test fails instead of hanging.
 */
export function meshliftCli(
  args: readonly string[],
  o: {
    input?: string;
    unprivileged?: boolean;
    env?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): CliRun {
  const ids = o.unprivileged && CAN_DROP_PRIVILEGES ? UNPRIVILEGED : {};
  const env: Record<string, string | undefined> = { ...process.env, ...o.env };
  if (o.unprivileged && CAN_DROP_PRIVILEGES)
    env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "home-"));
  if (env.HOME && o.unprivileged && CAN_DROP_PRIVILEGES) fs.chownSync(env.HOME, 65534, 65534);
  const r = spawnSync(
    process.execPath,
    [require.resolve("tsx/cli"), path.join(ROOT, "cli/main.ts"), ...args],
    {
      encoding: "utf8",
      cwd: ROOT,
      input: o.input,
      env,
      timeout: o.timeoutMs ?? 90_000,
      killSignal: "SIGKILL",
      maxBuffer: 64 * 1024 * 1024,
      ...ids,
    },
  );
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** An answer a user can act on: `code`, a `meshlift: ...` message matching `pattern`, no trace. */
export function assertCleanError(r: CliRun, pattern: RegExp, code = 2): void {
  const shown = `exit ${r.code} ${r.signal ?? ""}\n${r.stderr.slice(0, 2000)}`;
  assert.equal(r.signal, null, `killed (hung?): ${shown}`);
  assert.equal(r.code, code, shown);
  assert.match(r.stderr, /^meshlift: /, shown);
  assert.match(r.stderr, pattern, shown);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, `a stack trace: ${shown}`);
  assert.doesNotMatch(r.stderr, /internal error/, shown);
}

/**
 * Runs the CLI's main() in this process (test/support/cli.ts: much faster than a new process per
 * case), with `env` set for the run and restored.
 */
export async function meshliftMain(
  args: readonly string[],
  o: { env?: Record<string, string> } = {},
): Promise<CliRun> {
  // Loaded on first use: the CLI brings in the program and the Pulumi SDK.
  const { cli } = require("../support/cli") as typeof import("../support/cli");
  const saved = Object.fromEntries(Object.keys(o.env ?? {}).map((k) => [k, process.env[k]]));
  Object.assign(process.env, o.env);
  try {
    const r = await cli(...args);
    return { code: r.code, signal: null, stdout: r.out, stderr: r.err };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
