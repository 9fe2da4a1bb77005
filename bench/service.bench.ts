// Service bench: 200 concurrent reads and 50 concurrent plan operations over 10 stacks, with integrity checks.
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { AutomationRunner } from "../automation/runners/local";
import { PlanRunner } from "../automation/runners/plan";
import { Runner, RunRequest } from "../automation/runners/runner";
import { Store } from "../automation/service/store";
import { makeProject, startService, tempDir, TOKENS } from "../test/automation/support";

const STACKS = Array.from({ length: 10 }, (_, i) => `bench${i}`);
const READS = 200;
const PLANS = 50;
/** Plan worker threads, as `meshlift serve` sizes them on a 2-3 CPU machine and above. */
const WORKERS = Number(process.env.BENCH_PLAN_WORKERS ?? 2);

/** Wraps the real plan runner to observe, not change, how runs of one stack overlap. */
class Observed implements Runner {
  overlaps = 0;
  maxActive = 0;
  private readonly active = new Map<string, number>();
  constructor(private readonly inner: Runner) {}
  close() {
    return this.inner.close?.() ?? Promise.resolve();
  }
  unavailable(kind: RunRequest["kind"]) {
    return this.inner.unavailable(kind);
  }
  async run(req: RunRequest) {
    const n = (this.active.get(req.stack) ?? 0) + 1;
    if (n > 1) this.overlaps += 1;
    this.active.set(req.stack, n);
    this.maxActive = Math.max(
      this.maxActive,
      [...this.active.values()].reduce((a, b) => a + b, 0),
    );
    try {
      return await this.inner.run(req);
    } finally {
      this.active.set(req.stack, (this.active.get(req.stack) ?? 1) - 1);
    }
  }
}

/** A lean keep-alive client: fetch costs more CPU per request than the server does, and they share a process. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function request(
  base: string,
  method: string,
  p: string,
  token: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of several shapes
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      base + p,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(data
            ? { "content-type": "application/json", "content-length": Buffer.byteLength(data) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString()),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}
const get = (base: string, p: string) => request(base, "GET", p, TOKENS.read);
const submit = (base: string, stack: string, body: unknown) =>
  request(base, "POST", `/v1/stacks/${stack}/operations`, TOKENS.operate, body);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `p50 ${pct(s, 50).toFixed(1)} ms, p99 ${pct(s, 99).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await f();
  return [v, performance.now() - t];
}

export default async function bench(): Promise<string[]> {
  const project = makeProject(STACKS);
  const dbFile = path.join(tempDir(), "meshlift.db");
  const inner = new PlanRunner({ projectDir: project, workers: WORKERS });
  const plan = new Observed(inner);
  const s = await startService({
    projectDir: project,
    dbFile,
    runners: { plan, automation: new AutomationRunner({ projectDir: project, env: { PATH: "" } }) },
  });
  const lines: string[] = [];
  const fail: string[] = [];
  try {
    // Warm-up, as `meshlift serve` does at start: every worker loads the program and the Pulumi SDK.
    const [, warmMs] = await timed(() => inner.warmUp());
    lines.push(
      `machine: ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)} at start; ` +
        `plan workers: ${WORKERS}, loaded in ${warmMs.toFixed(0)} ms (not measured below)`,
    );

    const read = (i: number) => {
      const p = i % 4 === 0 ? "/v1/stacks" : `/v1/stacks/${STACKS[i % STACKS.length]}`;
      return timed(() => get(s.url, p));
    };
    const [idleReads, idleWall] = await timed(() =>
      Promise.all(Array.from({ length: READS }, (_, i) => read(i))),
    );
    const badIdle = idleReads.filter(([r]) => r.status !== 200).length;
    lines.push(
      `${READS} concurrent reads, idle: ${(READS / (idleWall / 1000)).toFixed(0)} req/s; ${stats(idleReads.map(([, ms]) => ms))}; non-200: ${badIdle}`,
    );

    // Plans and reads together: 5 plans per stack, all submitted at once.
    const [[submits, busyReads], wall] = await timed(() =>
      Promise.all([
        Promise.all(
          Array.from({ length: PLANS }, (_, i) =>
            timed(() => submit(s.url, STACKS[i % STACKS.length], { kind: "plan" })),
          ),
        ),
        Promise.all(Array.from({ length: READS }, (_, i) => read(i))),
      ]),
    );
    const ids = submits.map(([r]) => r.body.id as string);
    const accepted = submits.filter(([r]) => r.status === 202).length;
    lines.push(
      `${PLANS} concurrent plan submits: ${accepted} accepted (202); submit ${stats(submits.map(([, ms]) => ms))}`,
    );
    lines.push(
      `${READS} concurrent reads while planning: ${stats(busyReads.map(([, ms]) => ms))}; non-200: ${busyReads.filter(([r]) => r.status !== 200).length}`,
    );
    const [, doneMs] = await timed(() => s.service.operations.idle());
    const totalMs = wall + doneMs;
    const ops = ids.map((id) => s.service.store.get(id));
    const durations = ops.map(
      (o) => Date.parse(o?.finishedAt ?? "") - Date.parse(o?.startedAt ?? ""),
    );
    const endToEnd = ops.map(
      (o) => Date.parse(o?.finishedAt ?? "") - Date.parse(o?.createdAt ?? ""),
    );
    lines.push(
      `${PLANS} plans done in ${(totalMs / 1000).toFixed(1)} s: ${(PLANS / (totalMs / 1000)).toFixed(1)} plans/s; ` +
        `run ${stats(durations)}; queued+run ${stats(endToEnd)}`,
    );

    // Integrity: every acknowledged operation is in the database, succeeded, with its events; no overlap per stack.
    if (accepted !== PLANS) fail.push(`${PLANS - accepted} submits were not accepted`);
    const notOk = ops.filter((o) => o?.status !== "succeeded");
    if (notOk.length)
      fail.push(`${notOk.length} plans did not succeed: ${notOk.map((o) => o?.error).join("; ")}`);
    let windowOverlaps = 0;
    for (const st of STACKS) {
      const mine = ops
        .filter((o) => o?.stack === st)
        .sort((a, b) => Date.parse(a?.startedAt ?? "") - Date.parse(b?.startedAt ?? ""));
      for (let i = 1; i < mine.length; i++)
        if (Date.parse(mine[i]?.startedAt ?? "") < Date.parse(mine[i - 1]?.finishedAt ?? ""))
          windowOverlaps += 1;
    }
    if (windowOverlaps || plan.overlaps)
      fail.push(`same-stack overlaps: ${windowOverlaps} recorded, ${plan.overlaps} observed`);
    await s.service.close();
    const reopened = new Store(dbFile);
    const rows = reopened.list();
    const lost = ids.filter((id) => !rows.some((r) => r.id === id)).length;
    const eventsOk = ids.every((id) => {
      const o = reopened.get(id);
      return o !== undefined && o.events > 0 && reopened.events(id).length === o.events;
    });
    reopened.close();
    if (lost) fail.push(`${lost} acknowledged operations missing after reopen`);
    if (!eventsOk) fail.push("event counts do not match the stored events");
    lines.push(
      `integrity: ${rows.length} operations on disk after reopen (${PLANS} expected), lost ${lost}; ` +
        `same-stack overlaps ${windowOverlaps} (recorded) / ${plan.overlaps} (observed); ` +
        `max concurrent runs ${plan.maxActive}; events complete: ${eventsOk ? "yes" : "NO"}`,
    );
  } finally {
    await s.service.close().catch(() => undefined);
  }
  if (fail.length)
    throw new Error(`service bench checks failed:\n${fail.join("\n")}\n${lines.join("\n")}`);
  return lines;
}
