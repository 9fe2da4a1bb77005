// The policy pack as the Pulumi CLI runs it: the real CrossGuard server over the analyzer protocol, on example stacks and crafted violations.
import { strict as assert } from "node:assert";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { PHASES } from "../../phases/phases";
import { PlanDocument, PROJECT_DIR } from "../../plan/offline";
import { MESH_POLICIES } from "../../policy/checks";
import { checkSubject } from "../../policy/run";
import { subjectFromPlan } from "../../policy/subject";
import { plan } from "../support/plan";

// The engine's side of the analyzer protocol, as generated for the Pulumi SDK.

const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as {
  AnalyzerClient: new (
    address: string,
    creds: grpc.ChannelCredentials,
  ) => grpc.Client & {
    analyzeStack(
      req: unknown,
      cb: (err: grpc.ServiceError | null, res: AnalyzeResponse) => void,
    ): void;
    getAnalyzerInfo(
      req: unknown,
      cb: (err: grpc.ServiceError | null, res: AnalyzerInfo) => void,
    ): void;
  };
};

const pb = require("@pulumi/pulumi/proto/analyzer_pb") as Record<
  string,
  new () => Record<string, (v?: unknown) => unknown>
>;

const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as {
  Empty: new () => unknown;
};

interface Diagnostic {
  getPolicyname(): string;
  getMessage(): string;
  getUrn(): string;
  getEnforcementlevel(): number;
}
interface AnalyzeResponse {
  getDiagnosticsList(): Diagnostic[];
}
interface AnalyzerInfo {
  getName(): string;
  getPoliciesList(): { getName(): string; getEnforcementlevel(): number }[];
}

const POLICY_DIR = path.join(PROJECT_DIR, "policy");
/** apitype.Mandatory in the analyzer protocol's EnforcementLevel enum. */
const MANDATORY = 1;
/** The engine's sentinel for a string that is unknown during preview. */
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Offline placeholders as the engine sends them: unknowns as the preview sentinel, secrets wrapped. */
function toEngine(v: unknown): unknown {
  if (v === "<computed>") return UNKNOWN_STRING;
  if (v === "[secret]") {
    return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "s3cr3t" };
  }
  if (Array.isArray(v)) return v.map(toEngine);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toEngine(x)]));
  }
  return v;
}

/** A stack as AnalyzeStack receives it: every resource, and the root stack with the stack's outputs. */
function stackRequest(doc: PlanDocument): unknown {
  const req = new pb.AnalyzeStackRequest();
  const root = `urn:pulumi:${doc.stack}::${doc.project}::pulumi:pulumi:Stack::${doc.project}-${doc.stack}`;
  const all = [
    ...doc.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"),
    {
      urn: root,
      type: "pulumi:pulumi:Stack",
      name: `${doc.project}-${doc.stack}`,
      inputs: doc.outputs,
      protect: false,
      parent: null,
    },
  ];
  for (const r of all) {
    const res = new pb.AnalyzerResource();
    res.setType(r.type);
    res.setUrn(r.urn);
    res.setName(r.name);
    res.setParent(r.parent ?? "");
    res.setProperties(Struct.fromJavaScript(toEngine(r.inputs) as Record<string, never>));
    const opts = new pb.AnalyzerResourceOptions();
    opts.setProtect(r.protect);
    res.setOptions(opts);
    req.addResources(res);
  }
  return req;
}

describe("the mesh policy pack", function () {
  const plans: PlanDocument[] = [];
  let pack: ChildProcess | undefined;
  let client: InstanceType<typeof rpc.AnalyzerClient> | undefined;

  // Every resource type the example stacks register, each way it appears: dev through all phases
  // (namespaces, DNS, converted resources, App Mesh gone), the multi-cluster root owner (Secrets,
  // CA keys, east-west gateway) and the adopted prod cluster. test/plan/offline.test.ts runs the
  // same policies offline on every example stack at every phase.
  before(async function () {
    this.timeout(180_000);
    for (const phase of PHASES) plans.push(await plan({ stack: "dev", phase }));
    plans.push(await plan({ stack: "prod-use1", phase: "parallel" }));
    plans.push(await plan({ stack: "prod", phase: "cutover" }));
  });

  after(() => {
    client?.close();
    pack?.kill();
  });

  /** Starts the pack as the Pulumi CLI does (its directory, its PolicyPack serving gRPC) and connects as the engine. */
  async function connect(): Promise<InstanceType<typeof rpc.AnalyzerClient>> {
    if (client) return client;
    pack = spawn(
      process.execPath,
      ["-r", require.resolve("tsx/cjs"), path.join(POLICY_DIR, "index.ts")],
      {
        cwd: POLICY_DIR,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const started = pack;
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      const timer = setTimeout(
        () => reject(new Error(`the pack printed no port in 60 s: ${err}`)),
        60_000,
      );
      started.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      started.stderr?.on("data", (d: Buffer) => (err += d.toString()));
      started.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the pack exited with ${code}: ${err}`));
      });
    });
    client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return client;
  }

  function analyzeStack(doc: PlanDocument): Promise<Diagnostic[]> {
    return connect().then(
      (c) =>
        new Promise((resolve, reject) =>
          c.analyzeStack(stackRequest(doc), (err, res) =>
            err ? reject(err) : resolve(res.getDiagnosticsList()),
          ),
        ),
    );
  }

  it("is a pack directory the Pulumi CLI runs: PulumiPolicy.yaml, package.json with a version, a tsconfig for ts-node", () => {
    const manifest = YAML.parse(
      fs.readFileSync(path.join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8"),
    ) as Record<string, unknown>;
    assert.equal(manifest.runtime, "nodejs");
    const pkg = JSON.parse(
      fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8"),
    ) as Record<string, string>;
    assert.match(pkg.version, /^\d+\.\d+\.\d+$/, "PolicyPack reads its version from package.json");
    assert.equal(pkg.main, "index.ts");
    const tsconfig = JSON.parse(
      fs.readFileSync(path.join(POLICY_DIR, "tsconfig.json"), "utf8"),
    ) as { extends: string };
    assert.equal(
      tsconfig.extends,
      "../tsconfig.json",
      "ts-node compiles the pack with the project's options",
    );
  });

  it("serves every mesh policy as mandatory, over the analyzer protocol", async function () {
    this.timeout(90_000);
    const c = await connect();
    const info = await new Promise<AnalyzerInfo>((resolve, reject) =>
      c.getAnalyzerInfo(new Empty(), (err, res) => (err ? reject(err) : resolve(res))),
    );
    assert.equal(info.getName(), "meshlift-mesh-invariants");
    assert.deepEqual(
      info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]),
      MESH_POLICIES.map((p) => [p.name, MANDATORY]),
    );
  });

  it("passes the example stacks through CrossGuard, with preview's unknowns and secrets", async function () {
    this.timeout(90_000);
    for (const doc of plans) {
      const diags = await analyzeStack(doc);
      assert.deepEqual(
        diags.map((d) => `${d.getPolicyname()}: ${d.getMessage()}`),
        [],
        `${doc.stack} at ${doc.phase}`,
      );
    }
  });

  it("fails crafted violations through CrossGuard, naming the policy and the resource, as mandatory", async function () {
    this.timeout(90_000);
    const base = plans.find((p) => p.stack === "dev" && p.phase === "cutover") as PlanDocument;
    const doc: PlanDocument = JSON.parse(JSON.stringify(base));
    const byName = (n: string) => {
      const r = doc.resources.find((x) => x.name === n);
      assert.ok(r, n);
      return r;
    };
    const shop = byName("ns-shop-labels");
    (shop.inputs.metadata as { labels: Record<string, string> }).labels[
      "appmesh.k8s.aws/sidecarInjectorWebhook"
    ] = "enabled";
    const appmeshRecord = byName("dns-shop-dev-example-com-appmesh");
    doc.resources.splice(doc.resources.indexOf(appmeshRecord), 1);
    const istiod = byName("istio-istiod");
    (istiod.inputs.repositoryOpts as { repo: string }).repo =
      "https://istio-release.storage.googleapis.com/charts";
    const diags = await analyzeStack(doc);
    const got = diags.map((d) => [d.getPolicyname(), d.getUrn(), d.getEnforcementlevel()]).sort();
    assert.deepEqual(got, [
      [
        "appmesh-record-until-decommission",
        byName("dns-shop-dev-example-com-istio").urn,
        MANDATORY,
      ],
      ["no-retired-istio-hosts", istiod.urn, MANDATORY],
      ["route53-weights-total-100", byName("dns-shop-dev-example-com-istio").urn, MANDATORY],
      ["single-sidecar-injector", shop.urn, MANDATORY],
    ]);
    assert.match(
      diags.find((d) => d.getPolicyname() === "single-sidecar-injector")?.getMessage() ?? "",
      /namespace shop enables both/,
    );
    // The same document, offline, finds the same.
    const offline = checkSubject(subjectFromPlan(doc))
      .map((v) => [v.policy, v.urn, MANDATORY])
      .sort();
    assert.deepEqual(offline, got);
  });
});
