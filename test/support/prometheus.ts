// A real Prometheus (scrape interval 1 s, temp storage, 127.0.0.1) and an exporter of Istio and App Mesh Envoy series whose traffic a test controls.
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

/** The Prometheus binary: MESHLIFT_PROMETHEUS, else the first `prometheus` on PATH, else Debian's. */
export function prometheusBinary(): string | undefined {
  const candidates = [
    process.env.MESHLIFT_PROMETHEUS,
    ...(process.env.PATH ?? "").split(path.delimiter).map((d) => path.join(d, "prometheus")),
    "/usr/bin/prometheus",
  ];
  return candidates.find((c): c is string => {
    if (!c) return false;
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return fs.statSync(c).isFile();
    } catch {
      return false;
    }
  });
}

/** One side's traffic: requests per second, the share answered 5xx, and the latency of every request. */
export interface SideTraffic {
  rps: number;
  errorRatio: number;
  latencyMs: number;
}

export interface NamespaceTraffic {
  istio: SideTraffic;
  appmesh: SideTraffic;
}

/** Istio's and Envoy's default histogram buckets (milliseconds). */
const BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
  1800000, 3600000,
];

class Counters {
  ok = 0;
  errors = 0;
  sum = 0;
  readonly buckets = BUCKETS.map(() => 0);

  advance(t: SideTraffic, dt: number): void {
    const n = t.rps * dt;
    this.errors += n * t.errorRatio;
    this.ok += n * (1 - t.errorRatio);
    this.sum += n * t.latencyMs;
    BUCKETS.forEach((le, i) => {
      if (t.latencyMs <= le) this.buckets[i] += n;
    });
  }

  get total(): number {
    return this.ok + this.errors;
  }
}

interface NamespaceState {
  traffic: NamespaceTraffic;
  istio: Counters;
  appmesh: Counters;
  /** Noise a wrong query would pick up: the destination reporter and App Mesh egress, half 5xx. */
  noise: Counters;
}

export const HEALTHY: NamespaceTraffic = {
  istio: { rps: 100, errorRatio: 0.001, latencyMs: 40 },
  appmesh: { rps: 100, errorRatio: 0.001, latencyMs: 40 },
};

/**
 * Serves `/metrics` in the Prometheus text format: per namespace, `istio_requests_total` and
 * `istio_request_duration_milliseconds_bucket` as the Istio ingress gateway reports them, and the
 * App Mesh Envoy `envoy_http_downstream_rq_*` series. Counters grow with the configured traffic
 * between scrapes, so rates over any window are what the test set.
 */
export class MeshExporter {
  private readonly namespaces = new Map<string, NamespaceState>();
  private server?: http.Server;
  private last = Date.now();
  port = 0;

  constructor(
    private readonly gateway = { workload: "istio-ingressgateway", namespace: "istio-ingress" },
  ) {}

  /** Sets (or adds) a namespace's traffic; counters keep what they counted so far. */
  set(ns: string, traffic: Partial<NamespaceTraffic> = {}): void {
    this.tick();
    const cur = this.namespaces.get(ns);
    const t = {
      istio: { ...(cur?.traffic.istio ?? HEALTHY.istio), ...traffic.istio },
      appmesh: { ...(cur?.traffic.appmesh ?? HEALTHY.appmesh), ...traffic.appmesh },
    };
    if (cur) cur.traffic = t;
    else
      this.namespaces.set(ns, {
        traffic: t,
        istio: new Counters(),
        appmesh: new Counters(),
        noise: new Counters(),
      });
  }

  private tick(): void {
    const now = Date.now();
    const dt = (now - this.last) / 1000;
    this.last = now;
    for (const s of this.namespaces.values()) {
      s.istio.advance(s.traffic.istio, dt);
      s.appmesh.advance(s.traffic.appmesh, dt);
      s.noise.advance({ rps: 50, errorRatio: 0.5, latencyMs: 4000 }, dt);
    }
  }

  render(): string {
    this.tick();
    const out: string[] = [
      "# TYPE istio_requests_total counter",
      "# TYPE istio_request_duration_milliseconds histogram",
      "# TYPE envoy_http_downstream_rq_total counter",
      "# TYPE envoy_http_downstream_rq_xx counter",
      "# TYPE envoy_http_downstream_rq_time histogram",
    ];
    const g = this.gateway;
    for (const [ns, s] of this.namespaces) {
      const src = `reporter="source",source_workload="${g.workload}",source_workload_namespace="${g.namespace}",destination_service_namespace="${ns}"`;
      const dst = `reporter="destination",destination_service_namespace="${ns}"`;
      out.push(`istio_requests_total{${src},response_code="200"} ${s.istio.ok}`);
      // Istio creates a response_code series only once such a response happened.
      if (s.istio.errors > 0)
        out.push(`istio_requests_total{${src},response_code="503"} ${s.istio.errors}`);
      out.push(`istio_requests_total{${dst},response_code="200"} ${s.noise.ok}`);
      out.push(`istio_requests_total{${dst},response_code="500"} ${s.noise.errors}`);
      histogram(out, "istio_request_duration_milliseconds", src, s.istio);
      histogram(out, "istio_request_duration_milliseconds", dst, s.noise);

      const ing = `kubernetes_namespace="${ns}",envoy_http_conn_manager_prefix="ingress"`;
      const egr = `kubernetes_namespace="${ns}",envoy_http_conn_manager_prefix="egress"`;
      for (const [labels, c] of [
        [ing, s.appmesh],
        [egr, s.noise],
      ] as const) {
        out.push(`envoy_http_downstream_rq_total{${labels}} ${c.total}`);
        // Envoy declares every response class up front, at 0.
        out.push(`envoy_http_downstream_rq_xx{${labels},envoy_response_code_class="2"} ${c.ok}`);
        out.push(
          `envoy_http_downstream_rq_xx{${labels},envoy_response_code_class="5"} ${c.errors}`,
        );
        histogram(out, "envoy_http_downstream_rq_time", labels, c);
      }
    }
    return `${out.join("\n")}\n`;
  }

  async start(): Promise<number> {
    this.server = http.createServer((req, res) => {
      if (req.url !== "/metrics") {
        res.writeHead(404).end();
        return;
      }
      const body = this.render();
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(body);
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once("error", reject);
      this.server?.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
}

function histogram(out: string[], name: string, labels: string, c: Counters): void {
  BUCKETS.forEach((le, i) => out.push(`${name}_bucket{${labels},le="${le}"} ${c.buckets[i]}`));
  out.push(`${name}_bucket{${labels},le="+Inf"} ${c.total}`);
  out.push(`${name}_sum{${labels}} ${c.sum}`);
  out.push(`${name}_count{${labels}} ${c.total}`);
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A Prometheus process on 127.0.0.1 with its own temp storage, scraping the given jobs every second. */
export class PrometheusProcess {
  url = "";
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-prometheus-"));

  constructor(
    private readonly bin: string,
    private readonly jobs: readonly { readonly job: string; readonly port: number }[],
  ) {}

  get alive(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  async start(): Promise<void> {
    const config = [
      "global:",
      "  scrape_interval: 1s",
      "  scrape_timeout: 900ms",
      "  evaluation_interval: 1s",
      "scrape_configs:",
      ...this.jobs.flatMap((j) => [
        `  - job_name: ${j.job}`,
        "    static_configs:",
        `      - targets: ["127.0.0.1:${j.port}"]`,
      ]),
    ].join("\n");
    fs.writeFileSync(path.join(this.dir, "prometheus.yml"), `${config}\n`);
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      try {
        await this.spawnOn(port);
        return;
      } catch (e) {
        lastError = e;
        await this.stop();
      }
    }
    throw lastError;
  }

  private async spawnOn(port: number): Promise<void> {
    const log = fs.openSync(path.join(this.dir, "prometheus.log"), "a");
    const child = spawn(
      this.bin,
      [
        `--config.file=${path.join(this.dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${path.join(this.dir, `data-${port}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--storage.tsdb.retention.time=1h",
        "--log.level=warn",
      ],
      { stdio: ["ignore", log, log] },
    );
    fs.closeSync(log);
    this.child = child;
    this.exited = new Promise((r) => child.once("exit", () => r()));
    this.url = `http://127.0.0.1:${port}`;
    const until = Date.now() + 30_000;
    for (;;) {
      if (!this.alive) throw new Error(`prometheus exited at start: ${this.logTail()}`);
      try {
        const res = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > until) throw new Error(`prometheus not ready after 30 s: ${this.logTail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits (bounded) until `up{job}` reads `value`: the target was scraped, or seen down. */
  async waitUp(job: string, value: 0 | 1): Promise<void> {
    const until = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(
        `${this.url}/api/v1/query?query=${encodeURIComponent(`up{job="${job}"}`)}`,
      );
      const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
      if (body.data?.result?.[0]?.value[1] === String(value)) return;
      if (Date.now() > until) throw new Error(`up{job="${job}"} never became ${value}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  logTail(): string {
    try {
      return fs.readFileSync(path.join(this.dir, "prometheus.log"), "utf8").slice(-1500);
    } catch {
      return "(no log)";
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(killer);
  }
}

export interface MetricsLab {
  readonly prometheus: PrometheusProcess;
  /** Scraped as job "mesh"; lives for the whole test run. */
  readonly exporter: MeshExporter;
  /** Scraped as job "doomed"; a test stops it to see the data disappear. */
  readonly doomed: MeshExporter;
}

let lab: Promise<MetricsLab> | undefined;

/**
 * The one Prometheus of this test run with its two exporters, started on first use and stopped
 * after the last test; started again if a test stopped it.
 */
export async function metricsLab(bin: string): Promise<MetricsLab> {
  const current = lab && (await lab);
  if (current && !current.prometheus.alive) {
    const p = new PrometheusProcess(bin, [
      { job: "mesh", port: current.exporter.port },
      { job: "doomed", port: current.doomed.port },
    ]);
    // A new Prometheus has no history: the next test starts only once it has scraped the exporter.
    lab = p
      .start()
      .then(() => p.waitUp("mesh", 1))
      .then(() => ({ ...current, prometheus: p }));
  }
  lab ??= (async () => {
    const exporter = new MeshExporter();
    const doomed = new MeshExporter();
    await exporter.start();
    await doomed.start();
    const prometheus = new PrometheusProcess(bin, [
      { job: "mesh", port: exporter.port },
      { job: "doomed", port: doomed.port },
    ]);
    await prometheus.start();
    await prometheus.waitUp("mesh", 1);
    return { prometheus, exporter, doomed };
  })();
  return lab;
}

export async function stopMetricsLab(): Promise<void> {
  if (!lab) return;
  const l = await lab.catch(() => undefined);
  lab = undefined;
  if (!l) return;
  await l.prometheus.stop();
  await l.exporter.stop();
  await l.doomed.stop();
}

// Under mocha, the lab goes away after the last test of the run (the bench stops it itself).
if (typeof after === "function") after(stopMetricsLab);
