// The mesh invariants meshlift promises, each a pure function over the resource shape of policy/subject.ts.
import { APPMESH_INJECTION_LABEL, ISTIO_INJECTION_LABEL } from "../builders/namespace-migration";
import { SET_IDENTIFIERS } from "../builders/route53-cutover";
import { plainSecrets } from "../config/secret-values";
import { SECRET_PLACEHOLDER } from "../config/stack-file";
import {
  ISTIO_CHART_REPOSITORY,
  ISTIO_HUB,
  ISTIO_OCI_CHART_REPOSITORY,
  RETIRED_ISTIO_HOSTS,
} from "../config/versions";
import { MeshResource, MeshSubject, UNKNOWN } from "./subject";

/** One broken invariant: on which resource (when one is to blame), and what to do about it. */
export interface Finding {
  readonly urn?: string;
  readonly message: string;
}

export interface MeshPolicy {
  /** Unique within the pack; lower-case words and dashes, as CrossGuard names policies. */
  readonly name: string;
  readonly description: string;
  readonly check: (s: MeshSubject) => Finding[];
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== UNKNOWN ? v : undefined;
}

/** `kubernetes:<group>/<version>:<Kind>` -> group and kind ("core" for the core group). */
function k8sKind(r: MeshResource): { group: string; kind: string } | undefined {
  const m = /^kubernetes:([^/:]+)\/[^:]+:(\w+)$/.exec(r.type);
  return m ? { group: m[1], kind: m[2] } : undefined;
}

function isKind(r: MeshResource, group: string, ...kinds: string[]): boolean {
  const k = k8sKind(r);
  return k !== undefined && k.group === group && kinds.includes(k.kind);
}

function metadata(r: MeshResource): { name: string; namespace?: string; labels: Obj } {
  const md = obj(r.props.metadata);
  return { name: str(md.name) ?? r.name, namespace: str(md.namespace), labels: obj(md.labels) };
}

function ref(r: MeshResource): string {
  const md = metadata(r);
  return md.namespace ? `${md.namespace}/${md.name}` : md.name;
}

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** Helm releases of a chart, by its name (an OCI reference ends in it). */
function releasesOf(s: MeshSubject, chart: string): MeshResource[] {
  return s.resources.filter((r) => {
    if (r.type !== HELM_RELEASE) return false;
    const c = str(r.props.chart) ?? "";
    return c === chart || c.endsWith(`/${chart}`);
  });
}

const namespaces = (s: MeshSubject) =>
  s.resources.filter((r) => isKind(r, "core", "Namespace", "NamespacePatch"));

const REVISION_LABEL = "istio.io/rev";
const DATAPLANE_LABEL = "istio.io/dataplane-mode";

/** Whether istiod's injector gives this namespace's pods sidecars (istio-injection wins over a revision). */
function sidecarInjection(labels: Obj): boolean {
  const injection = labels[ISTIO_INJECTION_LABEL];
  if (injection === "enabled") return true;
  return injection !== "disabled" && (str(labels[REVISION_LABEL]) ?? "") !== "";
}

const appmeshInjection = (labels: Obj) => labels[APPMESH_INJECTION_LABEL] === "enabled";

/** Whether the mesh runs ambient: the stack says so, or it installs ztunnel. */
function ambientMesh(s: MeshSubject): boolean {
  return s.outputs.istioMode === "ambient" || releasesOf(s, "ztunnel").length > 0;
}

function environmentOf(s: MeshSubject): string | undefined {
  const out = str(s.outputs.environment);
  if (out) return out;
  for (const r of s.resources) {
    const tag = str(obj(r.props.tags)["meshlift:environment"]);
    if (tag) return tag;
  }
  return undefined;
}

/** A DNS host as Istio resolves it from a rule in `namespace`: short names are the namespace's services. */
function fqdn(host: string, namespace: string | undefined): string {
  const h = host.toLowerCase().replace(/\.$/, "");
  return !h.includes(".") && !h.includes("*") && namespace
    ? `${h}.${namespace}.svc.cluster.local`
    : h;
}

function hostMatches(ruleHost: string, host: string): boolean {
  return ruleHost === host || (ruleHost.startsWith("*.") && host.endsWith(ruleHost.slice(1)));
}

/** Every string below `v` with its dotted path, depth-limited so that a hostile document cannot exhaust the stack. */
function strings(
  v: unknown,
  path = "",
  depth = 0,
  out: [string, string][] = [],
): [string, string][] {
  if (depth > 64) return out;
  if (typeof v === "string") out.push([path, v]);
  else if (Array.isArray(v))
    v.forEach((x, i) => strings(x, path ? `${path}.${i}` : String(i), depth + 1, out));
  else if (typeof v === "object" && v !== null) {
    for (const [k, x] of Object.entries(v)) strings(x, path ? `${path}.${k}` : k, depth + 1, out);
  }
  return out;
}

const LB = "service.beta.kubernetes.io/aws-load-balancer";
const HEALTH_CHECK = {
  [`${LB}-healthcheck-port`]: "15021",
  [`${LB}-healthcheck-path`]: "/healthz/ready",
  [`${LB}-healthcheck-protocol`]: "http",
} as const;

/** Why these Service settings do not make an NLB through the AWS Load Balancer Controller, or undefined. */
function nlbProblem(type: unknown, annotations: Obj): string | undefined {
  if (type !== undefined && type !== "LoadBalancer" && type !== UNKNOWN) {
    return `its Service type is ${JSON.stringify(type)}, not LoadBalancer`;
  }
  const lbType = annotations[`${LB}-type`];
  if (lbType === "nlb") return undefined;
  if (lbType === "external") {
    const target = annotations[`${LB}-nlb-target-type`];
    return target === "ip" || target === "instance"
      ? undefined
      : `${LB}-nlb-target-type must be ip or instance (given ${JSON.stringify(target)})`;
  }
  return `${LB}-type is ${JSON.stringify(lbType)}: without "external" (or "nlb") AWS gives it a Classic Load Balancer`;
}

export const MESH_POLICIES: readonly MeshPolicy[] = [
  {
    name: "single-sidecar-injector",
    description: "No namespace has both the Istio and the App Mesh sidecar injector enabled.",
    check: (s) =>
      namespaces(s)
        .filter((r) => sidecarInjection(metadata(r).labels) && appmeshInjection(metadata(r).labels))
        .map((r) => ({
          urn: r.urn,
          message: `namespace ${ref(r)} enables both the Istio injector and the App Mesh injector (${APPMESH_INJECTION_LABEL}=enabled): new pods would get two proxies that fight over the traffic; disable one`,
        })),
  },
  {
    name: "no-sidecar-injection-in-ambient",
    description:
      "No ambient namespace (istio.io/dataplane-mode=ambient, or any namespace of an ambient mesh) carries a sidecar injection label.",
    check: (s) => {
      const meshAmbient = ambientMesh(s);
      return namespaces(s)
        .filter((r) => {
          const labels = metadata(r).labels;
          const ambient =
            labels[DATAPLANE_LABEL] === "ambient" ||
            (meshAmbient && labels[DATAPLANE_LABEL] !== "none");
          return ambient && sidecarInjection(labels);
        })
        .map((r) => ({
          urn: r.urn,
          message: `namespace ${ref(r)} is ambient${meshAmbient ? " (the mesh runs in ambient mode)" : ""} but carries a sidecar injection label (${ISTIO_INJECTION_LABEL}=enabled or ${REVISION_LABEL}): its pods would get sidecars beside ztunnel; label it ${DATAPLANE_LABEL}=ambient instead`,
        }));
    },
  },
  {
    name: "strict-mtls-after-appmesh",
    description: "STRICT mTLS only once no namespace is still on App Mesh.",
    check: (s) => {
      const onAppMesh = namespaces(s)
        .filter((r) => appmeshInjection(metadata(r).labels))
        .map((r) => metadata(r).name)
        .sort();
      if (onAppMesh.length === 0) return [];
      return s.resources
        .filter((r) => isKind(r, "security.istio.io", "PeerAuthentication"))
        .filter((r) => {
          const spec = obj(r.props.spec);
          const ports = Object.values(obj(spec.portLevelMtls)).map((p) => obj(p).mode);
          return obj(spec.mtls).mode === "STRICT" || ports.includes("STRICT");
        })
        .map((r) => ({
          urn: r.urn,
          message: `PeerAuthentication ${ref(r)} sets STRICT mTLS while namespace(s) ${onAppMesh.join(", ")} are still on App Mesh: their Envoy speaks plain text to Istio workloads, which would refuse it; keep PERMISSIVE until decommission`,
        }));
    },
  },
  {
    name: "prod-control-plane-protected",
    description:
      "In prod environments the cluster, its node groups and istiod are protected, so that no phase change can replace or delete them.",
    check: (s) => {
      const env = environmentOf(s);
      if (!env?.startsWith("prod")) return [];
      const guarded = s.resources.filter(
        (r) =>
          r.type === "eks:index:Cluster" ||
          r.type === "eks:index:ManagedNodeGroup" ||
          r.type === "aws:eks/cluster:Cluster" ||
          r.type === "aws:eks/nodeGroup:NodeGroup" ||
          releasesOf(s, "istiod").includes(r),
      );
      return guarded
        .filter((r) => !r.protect)
        .map((r) => ({
          urn: r.urn,
          message: `${r.type} ${r.name} is not protected in the production environment "${env}": a phase change or a config mistake could replace or delete it; keep meshlift:cluster.protect true (the default for prod environments)`,
        }));
    },
  },
  {
    name: "route53-weights-total-100",
    description: "The Route 53 weights of one name add up to 100.",
    check: (s) => {
      const findings: Finding[] = [];
      for (const [key, records] of weightedGroups(s)) {
        const weights = records.map((r) => obj(list(r.props.weightedRoutingPolicies)[0]).weight);
        if (!weights.every((w) => typeof w === "number")) continue;
        const total = weights.reduce((a, b) => a + b, 0);
        if (total !== 100) {
          const parts = records.map(
            (r, i) => `${str(r.props.setIdentifier) ?? r.name}=${String(weights[i])}`,
          );
          findings.push({
            urn: records[0].urn,
            message: `the weighted records of ${key} add up to ${total}, not 100 (${parts.join(", ")}): the split is not the one configured; set cutover.istioWeight from 0 to 100`,
          });
        }
      }
      return findings;
    },
  },
  {
    name: "appmesh-record-until-decommission",
    description:
      "The App Mesh weighted record of a name is never deleted before the decommission phase.",
    check: (s) => {
      const phase = str(s.outputs.phase);
      if (phase === undefined || phase === "decommission") return [];
      const findings: Finding[] = [];
      for (const [key, records] of weightedGroups(s)) {
        const ids = records.map((r) => r.props.setIdentifier);
        const istio = records.find((r) => r.props.setIdentifier === SET_IDENTIFIERS.istio);
        if (istio && !ids.includes(SET_IDENTIFIERS.appmesh)) {
          findings.push({
            urn: istio.urn,
            message: `${key} has no "${SET_IDENTIFIERS.appmesh}" record in phase ${phase}: the App Mesh ingress loses its traffic before decommission, with no way back; keep the record until decommission`,
          });
        }
      }
      return findings;
    },
  },
  {
    name: "gateway-nlb-health-check",
    description:
      "Gateway Services are NLBs (AWS Load Balancer Controller); the ingress gateway's NLB health-checks Istio's readiness endpoint.",
    check: (s) => {
      const findings: Finding[] = [];
      for (const r of releasesOf(s, "gateway")) {
        const values = obj(r.props.values);
        const svc = obj(values.service);
        const annotations = obj(svc.annotations);
        const problem = nlbProblem(svc.type, annotations);
        const what = `gateway release ${str(r.props.name) ?? r.name}`;
        if (problem) findings.push({ urn: r.urn, message: `${what}: ${problem}` });
        if (obj(values.labels).istio === "eastwestgateway") continue;
        const wrong = Object.entries(HEALTH_CHECK).filter(
          ([k, want]) => (str(annotations[k]) ?? "").toLowerCase() !== want,
        );
        if (wrong.length) {
          findings.push({
            urn: r.urn,
            message: `${what}: the NLB health check must probe Istio's readiness (${wrong.map(([k, v]) => `${k}=${v}`).join(", ")}); without it a draining gateway keeps receiving traffic`,
          });
        }
      }
      for (const r of s.resources.filter((x) => isKind(x, "core", "Service"))) {
        const spec = obj(r.props.spec);
        if (spec.type !== "LoadBalancer") continue;
        const problem = nlbProblem(spec.type, obj(obj(r.props.metadata).annotations));
        if (problem) findings.push({ urn: r.urn, message: `Service ${ref(r)}: ${problem}` });
      }
      return findings;
    },
  },
  {
    name: "virtualservice-subsets-defined",
    description: "No VirtualService routes to a subset that no DestinationRule defines.",
    check: (s) => {
      const defined = new Map<string, Set<string>>();
      for (const dr of s.resources.filter((r) =>
        isKind(r, "networking.istio.io", "DestinationRule"),
      )) {
        const spec = obj(dr.props.spec);
        const host = str(spec.host);
        if (!host) continue;
        const key = fqdn(host, metadata(dr).namespace);
        const set = defined.get(key) ?? new Set<string>();
        for (const sub of list(spec.subsets)) {
          const n = str(obj(sub).name);
          if (n) set.add(n);
        }
        defined.set(key, set);
      }
      const findings: Finding[] = [];
      for (const vs of s.resources.filter((r) =>
        isKind(r, "networking.istio.io", "VirtualService"),
      )) {
        const ns = metadata(vs).namespace;
        const spec = obj(vs.props.spec);
        const destinations = (["http", "tcp", "tls"] as const).flatMap((proto) =>
          list(spec[proto]).flatMap((route) => [
            ...list(obj(route).route).map((d) => obj(obj(d).destination)),
            ...(obj(route).mirror ? [obj(obj(route).mirror)] : []),
          ]),
        );
        for (const d of destinations) {
          const host = str(d.host);
          const subset = str(d.subset);
          if (!host || !subset) continue;
          const target = fqdn(host, ns);
          const subsets = [...defined.entries()]
            .filter(([h]) => hostMatches(h, target))
            .flatMap(([, v]) => [...v]);
          if (!subsets.includes(subset)) {
            findings.push({
              urn: vs.urn,
              message: `VirtualService ${ref(vs)} routes to subset "${subset}" of ${target}, which no DestinationRule defines (${subsets.length ? `defined: ${[...new Set(subsets)].sort().join(", ")}` : "no DestinationRule for that host"}): Istio answers 503 for that route`,
            });
          }
        }
      }
      return findings;
    },
  },
  {
    name: "no-retired-istio-hosts",
    description:
      "No chart or image comes from the hosts Istio retires in December 2026 (istio-release.storage.googleapis.com, gcr.io/istio-release, registry.istio.io).",
    check: (s) =>
      s.resources.flatMap((r) =>
        strings(r.props)
          .flatMap(([path, v]) =>
            RETIRED_ISTIO_HOSTS.filter((h) => v.includes(h)).map((h) => [path, h]),
          )
          .map(([path, host]) => ({
            urn: r.urn,
            message: `${r.type} ${r.name} uses the retired host ${host} (at ${path}): Istio removes it in December 2026; take charts from ${ISTIO_CHART_REPOSITORY} (or ${ISTIO_OCI_CHART_REPOSITORY}) and images from ${ISTIO_HUB}`,
          })),
      ),
  },
  {
    name: "no-plain-secrets",
    description:
      "No secret value in plain Kubernetes data (ConfigMaps, Secrets whose data are not Pulumi secrets) or in Helm values.",
    check: (s) => {
      const findings: Finding[] = [];
      for (const r of s.resources) {
        if (isKind(r, "core", "ConfigMap")) {
          for (const f of plainSecrets(r.props.data)) {
            findings.push({
              urn: r.urn,
              message: `ConfigMap ${ref(r)} holds ${f.reason} at data.${f.path}: a ConfigMap is readable by anyone who may read the namespace; use a Secret`,
            });
          }
        } else if (isKind(r, "core", "Secret") && s.secretsVisible) {
          for (const field of ["data", "stringData"]) {
            const plain = strings(r.props[field]).filter(
              ([, v]) => v !== SECRET_PLACEHOLDER && v !== UNKNOWN,
            );
            if (plain.length) {
              findings.push({
                urn: r.urn,
                message: `Secret ${ref(r)} has ${field} that is not a Pulumi secret (${plain.map(([p]) => p || field).join(", ")}): it would be stored in plain text in the stack's state; wrap it in pulumi.secret()`,
              });
            }
          }
        } else if (r.type === HELM_RELEASE) {
          for (const f of plainSecrets(r.props.values, { placeholderIsSecret: true })) {
            findings.push({
              urn: r.urn,
              message: `Helm release ${str(r.props.name) ?? r.name} has ${f.reason} in its values (values.${f.path}): Helm keeps values in its release records; reference an existing Secret instead`,
            });
          }
        }
      }
      return findings;
    },
  },
];

/** Weighted Route 53 records grouped by name and type: the records that share one name's traffic. */
function weightedGroups(s: MeshSubject): Map<string, MeshResource[]> {
  const groups = new Map<string, MeshResource[]>();
  for (const r of s.resources) {
    if (
      r.type !== "aws:route53/record:Record" ||
      list(r.props.weightedRoutingPolicies).length === 0
    ) {
      continue;
    }
    const name = (str(r.props.name) ?? r.name).toLowerCase().replace(/\.$/, "");
    const key = `${name} (${str(r.props.type) ?? "?"})`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return groups;
}
