// The migration board in a real headless Chromium against `meshlift serve` on 127.0.0.1: stacks, a plan with live events, read-only view, XSS fixtures, resumed streams, screenshots.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import * as YAML from "yaml";
import { pulumiCli } from "../../automation/prerequisites";
import { CutoverRunner } from "../../automation/runners/cutover-runner";
import { OPERATION_KINDS, DEFAULT_PROJECT_DIR } from "../../automation/runners/runner";
import { Service } from "../../automation/service/server";
import { startServe } from "../../cli/commands/serve";
import { parseConfig } from "../../config/load";
import { listStacks, readStackFile } from "../../config/stack-file";
import { ensureBoard } from "../../web/build";
import {
  GateRunner,
  get,
  instantUp,
  makeProject,
  startService,
  Started,
  submit,
  tempDir,
  TOKEN_TEXT,
  TOKENS,
  waitFor,
  waitStatus,
} from "../automation/support";
import { lab, sharedPlanRunner } from "../cutover/support";
import { chromiumMissing, launchChromium } from "../support/browser";

const XSS = "<img src=x onerror=alert(1)>";
const XSS_NS = "<img src=x onerror=alert(2)>";
/** Screenshots land here (gitignored); MESHLIFT_UPDATE_DOCS=1 also copies them to docs/. */
const OUTPUT = path.join(DEFAULT_PROJECT_DIR, "test-output", "board");
const EXAMPLES = listStacks(DEFAULT_PROJECT_DIR);

/** A project dir with the example stacks as they are, plus the XSS fixtures. */
function fixtureProject(): string {
  const dir = tempDir("meshlift-board-project-");
  fs.copyFileSync(path.join(DEFAULT_PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.cpSync(path.join(DEFAULT_PROJECT_DIR, "stacks"), path.join(dir, "stacks"), {
    recursive: true,
  });
  const dev = fs.readFileSync(path.join(dir, "stacks", "Pulumi.dev.yaml"), "utf8");
  // A stack whose name is markup (valid config), and one whose namespace is (a config error).
  fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${XSS}.yaml`), dev);
  fs.writeFileSync(
    path.join(dir, "stacks", "Pulumi.xss-namespace.yaml"),
    dev.replace("- name: payments", `- name: "${XSS_NS}"`),
  );
  return dir;
}

/**
 * A project whose stacks are at phase cutover from weight 0, each with one migrated namespace of its
 * own name and a progressive cutover judged by the given Prometheus (ttl = interval: a real run).
 */
function cutoverProject(
  prometheusUrl: string,
  stacks: Record<string, { steps: number[]; interval: number }>,
): string {
  const dir = makeProject(Object.keys(stacks));
  for (const [stack, p] of Object.entries(stacks)) {
    const file = path.join(dir, "stacks", `Pulumi.${stack}.yaml`);
    const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"));
    doc.setIn(["config", "meshlift:phase"], "cutover");
    doc.setIn(
      ["config", "meshlift:migration", "namespaces"],
      [{ name: stack, state: "istio", deployments: ["app"] }],
    );
    doc.setIn(["config", "meshlift:cutover", "istioWeight"], 0);
    doc.setIn(["config", "meshlift:cutover", "ttl"], p.interval);
    doc.setIn(["config", "meshlift:cutover", "progressive"], {
      steps: p.steps,
      interval: p.interval,
      analysis: {
        prometheus: { url: prometheusUrl, timeout: 5 },
        minRequests: 50,
        maxErrorRate: 0.01,
        maxP99Ms: 500,
        maxErrorRateIncrease: 0.005,
        maxHolds: 1,
      },
    });
    fs.writeFileSync(file, doc.toString());
  }
  return dir;
}

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, name);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.MESHLIFT_UPDATE_DOCS === "1")
    fs.copyFileSync(file, path.join(DEFAULT_PROJECT_DIR, "docs", name));
}

describe("migration board in Chromium", function () {
  this.timeout(120_000);
  const missing = chromiumMissing();
  if (missing) {
    it("is skipped: Chromium is missing", function () {
      process.stdout.write(`      note: board browser tests skipped: ${missing}\n`);
      this.skip();
    });
    return;
  }

  let browser: Browser;
  let serve: { service: Service; url: string };
  let home: string;
  /** What `meshlift serve` printed: it must never hold a token. */
  const log: string[] = [];
  const contexts: BrowserContext[] = [];
  /** alert/confirm/prompt dialogs any page opened: an XSS that ran would show here. */
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    const project = fixtureProject();
    home = tempDir("meshlift-board-home-");
    fs.writeFileSync(path.join(home, "tokens"), `${TOKEN_TEXT}\n`, { mode: 0o600 });
    [serve, browser] = await Promise.all([
      startServe({ host: "127.0.0.1", port: "0", dataDir: home, projectDir: project }, (l) =>
        log.push(l),
      ),
      launchChromium(),
    ]);
    assert.ok(
      log.some((l) => l.startsWith("migration board:")),
      log.join("\n"),
    );
    // Fixture records: a failed operation whose error is markup, and discovery data naming one.
    const op = serve.service.store.insert({
      id: "xss-op",
      stack: XSS,
      kind: "plan",
      config: {},
      startedBy: "fixture",
    });
    serve.service.store.finish(op.id, "failed", { error: `plan failed for ${XSS}` });
    fs.mkdirSync(path.join(home, "discovery", "dev"), { recursive: true });
    fs.writeFileSync(
      path.join(home, "discovery", "dev", "inventory.json"),
      JSON.stringify({
        atRisk: [
          { namespace: "shop", pods: 3 },
          { namespace: XSS_NS, pods: 1 },
        ],
        precheck: { blocker: 1, warning: 2, info: 0 },
      }),
    );
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await serve?.service.close();
  });

  afterEach(() => {
    assert.deepEqual(dialogs, [], "no page opened a dialog");
    assert.deepEqual(pageErrors, [], "no script error on any page");
  });

  async function open(
    base: string,
    token: string,
    viewport = { width: 1400, height: 1000 },
  ): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    page.on("dialog", (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${base}/`);
    await page.getByLabel("Token").fill(token);
    await page.getByRole("button", { name: "Use token" }).click();
    await page.getByText(/^Token: /).waitFor();
    return page;
  }

  it("lists every example stack with its phase, keeping the token out of every URL", async () => {
    const page = await open(serve.url, TOKENS.read);
    const urls: string[] = [];
    page.on("request", (r) => urls.push(r.url()));
    await page.locator("article.card").first().waitFor();
    for (const stack of EXAMPLES) {
      const expected = parseConfig(stack, readStackFile(DEFAULT_PROJECT_DIR, stack).config).phase;
      const card = page.locator(`article.card[data-stack="${stack}"]`);
      await card.waitFor();
      assert.equal(
        await card.locator('[aria-current="step"] .name').textContent(),
        expected,
        stack,
      );
      assert.equal(await card.getByRole("link", { name: stack, exact: true }).count(), 1);
    }
    const dev = page.locator('article.card[data-stack="dev"]');
    assert.match(
      (await dev
        .getByRole("img", { name: /shop\.dev\.example\.com/ })
        .getAttribute("aria-label")) ?? "",
      /App Mesh 100, Istio no record/,
    );
    assert.match((await dev.locator(".discovery").textContent()) ?? "", /At risk: 2 namespaces/);
    assert.equal(await dev.locator('[data-field="blockers"]').textContent(), "1");
    assert.equal(await dev.getByText("shop", { exact: true }).count(), 1);
    await screenshot(page, "board.png");
    const stored = await page.evaluate('sessionStorage.getItem("meshlift.token")');
    assert.equal(stored, TOKENS.read);
    await page.reload();
    await page.locator("article.card").first().waitFor();
    for (const u of urls) assert.ok(!u.includes(TOKENS.read), u);
    assert.equal(await page.evaluate("document.cookie"), "");
  });

  it("renders markup in stack, namespace and error strings as text (the XSS fixtures)", async () => {
    const page = await open(serve.url, TOKENS.read);
    const card = page.locator(`article.card[data-stack="${XSS}"]`);
    await card.waitFor();
    await card.getByRole("link", { name: XSS, exact: true }).waitFor();
    await card.getByText(`plan failed for ${XSS}`).waitFor();
    const nsCard = page.locator('article.card[data-stack="xss-namespace"]');
    assert.ok(((await nsCard.locator(".error pre").textContent()) ?? "").includes(XSS_NS));
    await page.locator('article.card[data-stack="dev"]').getByText(`${XSS_NS}: 1 pod`).waitFor();
    assert.equal(await page.locator("main img").count(), 0, "no markup became an element");
    await card.getByRole("link", { name: XSS, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: XSS }).waitFor();
    assert.equal(await page.title(), `${XSS} · meshlift board`);
    await page.getByText(`plan failed for ${XSS}`).first().waitFor();
    // The runbook quotes the stack name in Markdown code and tables: still text.
    await page.getByRole("heading", { name: /meshlift runbook: stack/ }).waitFor();
    await page.getByRole("heading", { name: /What parallel changes/ }).waitFor();
    assert.ok(((await page.locator(".runbook").textContent()) ?? "").includes(`--stack ${XSS}`));
    assert.equal(await page.locator("main img").count(), 0);
  });

  it("shows a read token no action buttons, and an operate token plan, advance and cutover (when offered)", async () => {
    const read = await open(serve.url, TOKENS.read);
    await read.goto(`${serve.url}/stacks/dev`);
    await read.getByRole("heading", { name: "Runbook" }).waitFor();
    await read.getByRole("heading", { name: /meshlift runbook: stack dev/ }).waitFor();
    assert.equal(await read.getByRole("heading", { name: "Actions" }).count(), 0);
    for (const name of [/^Plan$/, /Advance/, /Roll back/, /cutover/i, /^Cancel/])
      assert.equal(await read.getByRole("button", { name }).count(), 0, String(name));

    const op = await open(serve.url, TOKENS.operate);
    await op.goto(`${serve.url}/stacks/dev`);
    await op.getByRole("heading", { name: "Actions" }).waitFor();
    await op.getByRole("button", { name: "Plan", exact: true }).waitFor();
    await op.getByRole("button", { name: "Advance to parallel" }).waitFor();
    assert.equal(
      await op.getByRole("button", { name: "Start cutover" }).count(),
      (OPERATION_KINDS as readonly string[]).includes("cutover") ? 1 : 0,
    );
  });

  it("starts a plan from the page, shows its events as they stream, and ends succeeded", async () => {
    const page = await open(serve.url, TOKENS.operate);
    const streams: Request[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/events")) streams.push(r);
    });
    await page.goto(`${serve.url}/stacks/prod`);
    await page.getByLabel("Plan phase").selectOption("parallel");
    await page.getByRole("button", { name: "Plan", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Plan prod at phase parallel?" });
    await dialog.waitFor();
    // The confirmation shows the offline diff of the phase change first.
    await dialog.locator('[data-field="diff-counts"]').waitFor();
    assert.match(
      (await dialog.locator('[data-field="diff-counts"]').textContent()) ?? "",
      /\d+ to create/,
    );
    await dialog.getByRole("button", { name: "Start plan of parallel" }).click();
    await page.getByText(/^plan accepted/).waitFor();
    const events = page.locator("section.events");
    await events.getByText("succeeded", { exact: true }).waitFor({ timeout: 90_000 });
    const id = (await events.getAttribute("data-operation")) as string;
    const recorded = await get(serve.url, `/v1/operations/${id}`);
    assert.equal(recorded.body.status, "succeeded");
    assert.equal(recorded.body.phase, "parallel");
    assert.equal(await events.locator(".event-list li").count(), recorded.body.events);
    await events.getByText("started (phase parallel)").waitFor();
    // The events came over SSE with the token in a header, not the URL.
    assert.ok(streams.length >= 1);
    const headers = await streams[0].allHeaders();
    assert.equal(headers.authorization, `Bearer ${TOKENS.operate}`);
    assert.ok(!streams[0].url().includes(TOKENS.operate));
    await screenshot(page, "board-stack.png");
  });

  it("asks before an up, showing the diff, and shows the service's refusal as an error", async () => {
    const page = await open(serve.url, TOKENS.operate);
    await page.goto(`${serve.url}/stacks/dev`);
    await page.getByRole("button", { name: "Advance to parallel" }).click();
    const dialog = page.getByRole("dialog", { name: "Advance dev to parallel?" });
    const confirm = dialog.getByRole("button", { name: "Run up: advance to parallel" });
    await dialog.locator('[data-field="diff-counts"]').waitFor();
    assert.ok(await confirm.isEnabled());
    // Escape cancels: nothing submitted.
    const before = (await get(serve.url, "/v1/board/dev")).body.operationCount;
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    assert.equal((await get(serve.url, "/v1/board/dev")).body.operationCount, before);
    await page.getByRole("button", { name: "Advance to parallel" }).click();
    await confirm.click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    if (!pulumiCli().present) {
      await page
        .getByRole("alert")
        .getByText(/Refused: .*Pulumi CLI/)
        .waitFor();
      assert.equal((await get(serve.url, "/v1/board/dev")).body.operationCount, before);
    } else {
      await page.getByText(/^up accepted/).waitFor();
    }
  });

  it("rolls back only after showing what the earlier phase removes", async () => {
    const page = await open(serve.url, TOKENS.operate);
    await page.goto(`${serve.url}/stacks/prod-use1`);
    await page.getByLabel("Roll back to").selectOption("discovery");
    await page.getByRole("button", { name: "Roll back", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Roll prod-use1 back to discovery?" });
    await dialog.locator('[data-field="diff-counts"]').waitFor();
    assert.match(
      (await dialog.locator('[data-field="diff-counts"]').textContent()) ?? "",
      /[1-9]\d* to delete/,
    );
    assert.ok(
      await dialog.getByRole("button", { name: "Run up: roll back to discovery" }).isEnabled(),
    );
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    assert.equal((await get(serve.url, "/v1/board/prod-use1")).body.operationCount, 0);
  });

  it("resumes a dropped event stream from the last event id, missing and repeating nothing", async () => {
    const gate = new GateRunner();
    const project = fixtureProject();
    const live: Started = await startService({
      projectDir: project,
      runners: { plan: gate, automation: gate },
      extra: { boardDir: await ensureBoard() },
    });
    try {
      const page = await open(live.url, TOKENS.operate);
      const resumes: (string | undefined)[] = [];
      page.on("request", (r) => {
        if (r.url().endsWith("/events"))
          void r.allHeaders().then((h) => resumes.push(h["last-event-id"]));
      });
      await page.goto(`${live.url}/stacks/dev`);
      await page.getByRole("button", { name: "Plan", exact: true }).click();
      await page.getByRole("button", { name: /^Start plan of/ }).click();
      await page.getByText(/^plan accepted/).waitFor();
      const list = page.locator("section.events .event-list li");
      await waitFor(
        "the first event",
        () => list.count(),
        (n) => n === 1,
      );
      gate.emit("dev", { diagnosticEvent: { message: "live one", severity: "info" } });
      gate.emit("dev", { diagnosticEvent: { message: "live two", severity: "info" } });
      await page.getByText("info: live two").waitFor();
      // Drop every connection: the page reconnects by itself and asks for what follows event 3.
      live.service.server.closeAllConnections();
      gate.emit("dev", { diagnosticEvent: { message: "while away", severity: "warning" } });
      await page.getByText("warning: while away").waitFor({ timeout: 30_000 });
      gate.emit("dev", { diagnosticEvent: { message: "after", severity: "info" } });
      await page.getByText("info: after").waitFor();
      const id = (await page.locator("section.events").getAttribute("data-operation")) as string;
      gate.release("dev");
      await waitStatus(live.url, id, ["succeeded"]);
      await page.locator("section.events").getByText("succeeded", { exact: true }).waitFor();
      const seqs = await list.evaluateAll((els) => els.map((e) => e.getAttribute("data-seq")));
      assert.deepEqual(seqs, ["1", "2", "3", "4", "5"]);
      assert.ok(resumes.includes("3"), `Last-Event-ID sent: ${JSON.stringify(resumes)}`);
    } finally {
      await live.service.close();
    }
  });

  it("runs a progressive cutover from its button: decisions stream in, Stop cutover stops it after the step", async function () {
    const { prometheus, exporter } = await lab(this);
    exporter.set("board-cut");
    exporter.set("board-stop");
    const project = cutoverProject(prometheus.url, {
      "board-cut": { steps: [50, 100], interval: 3 },
      "board-stop": { steps: [25, 100], interval: 600 },
    });
    // Real steps through the service's cutover runner; only `up` is a double (no Pulumi CLI here).
    const live: Started = await startService({
      projectDir: project,
      runners: {
        plan: sharedPlanRunner(),
        automation: instantUp,
        cutover: new CutoverRunner({
          plan: sharedPlanRunner(),
          automation: instantUp,
          projectDir: project,
          journalDir: tempDir(),
        }),
      },
      extra: { boardDir: await ensureBoard() },
    });
    try {
      const page = await open(live.url, TOKENS.operate);
      await page.goto(`${live.url}/stacks/board-cut`);
      await page.getByRole("button", { name: "Start cutover" }).click();
      const dialog = page.getByRole("dialog", {
        name: "Start the progressive cutover of board-cut?",
      });
      await dialog.getByRole("button", { name: "Start cutover" }).click();
      await page.getByText(/^cutover accepted/).waitFor();
      const events = page.locator("section.events");
      // Each decision reads as the CLI prints it: step, weight, decision, reason and every gate.
      for (const line of [/^step 1\/2 weight 50: advance: /, /^step 2\/2 weight 100: advance: /])
        await events
          .getByText(line)
          .waitFor({ timeout: 60_000 })
          .catch(async (e: unknown) => {
            const shown = await events.locator(".event-list li").allTextContents();
            throw new Error(`${String(e)}\nevents shown:\n${shown.join("\n")}`);
          });
      await events.getByText("succeeded", { exact: true }).waitFor({ timeout: 60_000 });
      assert.match(
        (await events.getByText(/^step 1\/2 weight 50: advance/).textContent()) ?? "",
        /board-cut: requests \d+ >= 50 ok, 5xx [\d.]+% <= 1\.00% ok/,
      );
      const id = (await events.getAttribute("data-operation")) as string;
      const done = await get(live.url, `/v1/operations/${id}`);
      assert.equal(done.body.kind, "cutover");
      assert.equal(done.body.status, "succeeded");
      assert.equal(done.body.summary.outcome, "completed");
      assert.equal(done.body.summary.weight, 100);
      assert.deepEqual(done.body.options, { dryRun: false });
      assert.equal(await events.getByText(/^step \d\/2 weight \d+: /).count(), 2);
      await screenshot(page, "board-cutover.png");

      await page.goto(`${live.url}/stacks/board-stop`);
      await page.getByRole("button", { name: "Start cutover" }).click();
      await page
        .getByRole("dialog", { name: "Start the progressive cutover of board-stop?" })
        .getByRole("button", { name: "Start cutover" })
        .click();
      await page.getByText(/^cutover accepted/).waitFor();
      await events.getByText(/^step 1\/2: Istio weight 25 set \(/).waitFor({ timeout: 60_000 });
      // While it runs, the button stops it instead (after asking).
      await page.getByRole("button", { name: "Stop cutover" }).click();
      await page
        .getByRole("dialog", { name: "Stop the cutover of board-stop?" })
        .getByRole("button", { name: "Stop cutover" })
        .click();
      await events.getByText("cancelled", { exact: true }).waitFor({ timeout: 60_000 });
      await events.getByText(/Resume with `meshlift cutover run --stack board-stop`/).waitFor();
      const stopped = await get(
        live.url,
        `/v1/operations/${(await events.getAttribute("data-operation")) as string}`,
      );
      assert.equal(stopped.body.status, "cancelled");
      assert.match(
        stopped.body.error,
        /stopped on request: Istio weight left at 25 \(App Mesh 75\); step 1 was not judged/,
      );
      assert.equal(await events.getByText(/: (advance|hold|rollback|stop)\b/).count(), 0);
      await page.getByRole("button", { name: "Start cutover" }).waitFor();
    } finally {
      await live.service.close();
    }
  });

  it("reads on a phone width and works from the keyboard", async () => {
    const page = await open(serve.url, TOKENS.read, { width: 390, height: 844 });
    await page.locator("article.card").first().waitFor();
    const overflow = await page.evaluate<number>(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    assert.ok(overflow <= 0, `the board is ${overflow}px wider than the phone`);
    await page.screenshot({ path: path.join(OUTPUT, "board-phone.png"), fullPage: false });
    // Landmarks, and a skip link as the first stop of the keyboard.
    for (const role of ["banner", "main", "contentinfo"] as const)
      assert.equal(await page.getByRole(role).count(), 1, role);
    await page.reload();
    await page.locator("article.card").first().waitFor();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate("document.activeElement?.textContent"), "Skip to content");
    // Every form control has an accessible name.
    const unnamed = await page.evaluate(`[...document.querySelectorAll("input, select, button")]
      .filter((e) => !e.innerText?.trim() && !e.labels?.length && !e.getAttribute("aria-label"))
      .map((e) => e.outerHTML)`);
    assert.deepEqual(unnamed, []);
    // Keyboard only: focus a stack link, follow it, land on its page heading. The stack's data
    // arrives late, so the page shows its loading state first and the focus must survive the swap.
    await page.route("**/v1/board/dev", async (r) => {
      await new Promise((done) => setTimeout(done, 500));
      await r.continue();
    });
    const link = page.getByRole("link", { name: "dev", exact: true });
    await link.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "dev" }).waitFor();
    // The focus moves in an effect after the render, and must stay once the stack's data arrives.
    await page
      .waitForFunction('document.activeElement?.tagName === "H1"', null, { timeout: 10_000 })
      .catch(async () =>
        assert.fail(
          `focus is on ${await page.evaluate("document.activeElement?.tagName")}, not the heading`,
        ),
      );
    await page.getByRole("region", { name: "State" }).waitFor();
    assert.equal(await page.evaluate("document.activeElement?.tagName"), "H1");
    assert.equal(new URL(page.url()).pathname, "/stacks/dev");
  });

  it("forgets the token on request and asks for it again", async () => {
    const page = await open(serve.url, TOKENS.read);
    await page.getByRole("button", { name: "Forget token" }).click();
    await page.getByLabel("Token").waitFor();
    assert.equal(await page.evaluate('sessionStorage.getItem("meshlift.token")'), null);
    await page.getByLabel("Token").fill("not-a-valid-token-at-all");
    await page.getByRole("button", { name: "Use token" }).click();
    await page
      .getByRole("alert")
      .getByText(/The token was refused: invalid bearer token/)
      .waitFor();
    await page.getByLabel("Token").waitFor();
  });

  it("has submitted nothing it was not asked to", async () => {
    const prod = await get(serve.url, "/v1/stacks/prod/operations");
    assert.ok(prod.body.operations.every((o: { kind: string }) => o.kind === "plan"));
    assert.equal((await submit(serve.url, "dev", { kind: "plan" }, TOKENS.read)).status, 403);
    for (const t of Object.values(TOKENS))
      assert.ok(!log.join("\n").includes(t), "meshlift serve logged a token");
  });
});
