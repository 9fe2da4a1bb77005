// Board bench: time to first render of the board in headless Chromium with 50 stacks and 5,000 operations, the board API's time, and the bundle's size.
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { OPERATION_STATUSES } from "../automation/service/records";
import { ensureBoard } from "../web/build";
import { chromiumMissing, launchChromium } from "../test/support/browser";
import { GateRunner, makeProject, startService, TOKENS } from "../test/automation/support";

const STACKS = 50;
const OPERATIONS = 5000;
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(0)} ms`;

export default async function bench(): Promise<string[]> {
  const dir = await ensureBoard();
  const lines: string[] = [];
  let raw = 0;
  let gz = 0;
  for (const f of ["board.js", "board-style.css", "index.html"]) {
    const body = fs.readFileSync(path.join(dir, f));
    const z = zlib.gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gz += z;
    lines.push(
      `bundle ${f}: ${(body.length / 1024).toFixed(1)} KiB (${(z / 1024).toFixed(1)} KiB gzip)`,
    );
  }
  lines.push(`bundle total: ${(raw / 1024).toFixed(1)} KiB (${(gz / 1024).toFixed(1)} KiB gzip)`);

  const missing = chromiumMissing();
  if (missing) return [...lines, `render: skipped, ${missing}`];

  const stacks = Array.from({ length: STACKS }, (_, i) => `env${String(i).padStart(2, "0")}`);
  const project = makeProject(stacks);
  const gate = new GateRunner();
  const s = await startService({
    projectDir: project,
    runners: { plan: gate, automation: gate },
    extra: { boardDir: dir },
  });
  const browser = await launchChromium();
  try {
    const kinds = ["plan", "up", "preview", "refresh"] as const;
    const t0 = Date.now();
    s.service.store.batch(() => {
      for (let i = 0; i < OPERATIONS; i += 1) {
        const op = s.service.store.insert({
          id: `bench-${i}`,
          stack: stacks[i % STACKS],
          kind: kinds[i % kinds.length],
          phase: "parallel",
          config: {},
          startedBy: `operate:${(i % 7).toString(16).padStart(8, "0")}`,
        });
        s.service.store.start(op.id);
        const status = OPERATION_STATUSES[2 + (i % 4)];
        s.service.store.finish(op.id, status, status === "failed" ? { error: "step failed" } : {});
      }
    });
    lines.push(`seeded ${OPERATIONS} operations over ${STACKS} stacks in ${ms(Date.now() - t0)}`);

    const api: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const started = performance.now();
      const res = await fetch(`${s.url}/v1/board`, {
        headers: { authorization: `Bearer ${TOKENS.read}` },
      });
      bytes = (await res.arrayBuffer()).byteLength;
      api.push(performance.now() - started);
    }
    lines.push(
      `GET /v1/board: median ${ms(median(api))} (min ${ms(Math.min(...api))}, max ${ms(Math.max(...api))}), ${(bytes / 1024).toFixed(0)} KiB`,
    );

    const render: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      // A fresh context: cold cache, as a first visit; the token is already in this tab's session.
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      await context.addInitScript(
        `sessionStorage.setItem("meshlift.token", ${JSON.stringify(TOKENS.read)})`,
      );
      const page = await context.newPage();
      await page.goto(`${s.url}/`, { waitUntil: "commit" });
      // performance.now() counts from the navigation's start: the moment every stack's card is in the page.
      const at = await page.waitForFunction(
        (n: number) => {
          const doc = (
            globalThis as unknown as {
              document: { querySelectorAll(q: string): { length: number } };
            }
          ).document;
          return doc.querySelectorAll("article.card").length === n && performance.now();
        },
        STACKS,
        { timeout: 60_000, polling: "raf" },
      );
      render.push((await at.jsonValue()) as number);
      await context.close();
    }
    lines.push(
      `first render of ${STACKS} stacks (navigation start to every card drawn, ${RUNS} cold runs): median ${ms(median(render))} (min ${ms(Math.min(...render))}, max ${ms(Math.max(...render))})`,
    );
  } finally {
    await browser.close();
    await s.service.close();
  }
  return lines;
}
