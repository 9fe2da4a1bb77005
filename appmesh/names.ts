// Names and hosts: DNS-1123 names for emitted objects, Istio's host rules, Kubernetes Service FQDNs.

export const CLUSTER_SUFFIX = ".svc.cluster.local";

/** The shape of a DNS-1123 label (namespaces, most object names, label values): its length aside. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The longest DNS-1123 label. */
export const DNS_LABEL_MAX = 63;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Istio's DNS-1123 label: letters of either case (istio/pkg/config/labels IsDNS1123Label). */
const HOST_LABEL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
/** Istio's wildcard first label: `*`, or a label with a leading `*` / `*-`. */
const WILDCARD_LABEL = /^(\*|(\*|\*-)?[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;

/** A DNS-1123 subdomain from an App Mesh name (API names may hold capitals and underscores). */
export function k8sName(s: string): string {
  const labels = s
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .split(".")
    .map((l) =>
      l
        .replace(/-+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 63)
        .replace(/-+$/, ""),
    )
    .filter((l) => l !== "");
  const out = labels
    .join(".")
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, "");
  return out === "" ? "unnamed" : out;
}

/** A DNS-1035 label (Service names): lower-case, at most 63, starting with a letter. */
export function dnsLabel(s: string): string {
  let out = k8sName(s).replace(/\./g, "-").slice(0, 63).replace(/-+$/, "");
  if (!/^[a-z]/.test(out)) out = `s-${out}`.slice(0, 63).replace(/-+$/, "");
  return out;
}

/** Whether `s` is a DNS-1123 label: the one test behind every Kubernetes-name check (config and converter). */
export function isDnsLabel(s: string): boolean {
  return s.length <= DNS_LABEL_MAX && DNS_LABEL.test(s);
}

export function isDnsSubdomain(s: string): boolean {
  return s.length <= 253 && DNS_SUBDOMAIN.test(s);
}

/** Why a name is not a Kubernetes object name, or undefined when it is one. */
export function nameProblem(s: string): string | undefined {
  if (isDnsSubdomain(s)) return undefined;
  if (s.length > 253) return `is ${s.length} characters long (at most 253)`;
  return "is not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')";
}

/**
 * Why a host breaks Istio's rules (istio/pkg/config/validation/agent ValidateWildcardDomain): at most 255
 * characters, labels of letters, digits and '-' up to 63, a wildcard only as the first label, a top-level label
 * that is not all digits. Undefined when the host is valid.
 */
export function hostProblem(host: string, opts: { wildcard?: boolean } = {}): string | undefined {
  if (host.length === 0) return "is empty";
  if (host.length > 255) return `is ${host.length} characters long (at most 255)`;
  const labels = host.split(".");
  if (labels.length > 1 && labels[labels.length - 1] === "") labels.pop();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    const ok = i === 0 && opts.wildcard ? WILDCARD_LABEL.test(l) : HOST_LABEL.test(l);
    if (!ok || l.length > 63) {
      return `has the label ${JSON.stringify(l.length > 40 ? `${l.slice(0, 37)}...` : l)}, not a DNS-1123 label (letters, digits and '-', at most 63)`;
    }
  }
  const tld = labels[labels.length - 1];
  if (labels.length > 1 && /^\d+$/.test(tld)) return `has an all-numeric top-level label "${tld}"`;
  return undefined;
}

/** A value quoted for a finding or error, shortened so that hostile input cannot flood the output. */
export function quote(v: string, max = 80): string {
  return JSON.stringify(v.length > max ? `${v.slice(0, max - 3)}...` : v);
}

/** A Kubernetes Service host `<svc>.<ns>.svc.cluster.local`, or undefined when the name is not one. */
export function clusterHost(name: string, defaultNs: string, knownNamespaces: ReadonlySet<string>) {
  const h = name.toLowerCase().replace(/\.$/, "");
  if (!h.includes("."))
    return { host: `${h}.${defaultNs}${CLUSTER_SUFFIX}`, svc: h, ns: defaultNs };
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/.exec(h);
  if (m && (m[3] !== undefined || knownNamespaces.has(m[2]))) {
    return { host: `${m[1]}.${m[2]}${CLUSTER_SUFFIX}`, svc: m[1], ns: m[2] };
  }
  return undefined;
}

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;

/** Why a label selector's key or value is not a Kubernetes label, or undefined when all are. */
export function labelsProblem(labels: Readonly<Record<string, string>>): string | undefined {
  for (const [k, v] of Object.entries(labels)) {
    const slash = k.lastIndexOf("/");
    const prefix = slash >= 0 ? k.slice(0, slash) : undefined;
    const name = slash >= 0 ? k.slice(slash + 1) : k;
    if (
      (prefix !== undefined && !isDnsSubdomain(prefix)) ||
      name.length > 63 ||
      !LABEL_NAME.test(name)
    )
      return `label key ${quote(k, 70)} is not a Kubernetes label name`;
    if (v.length > 63 || (v !== "" && !LABEL_NAME.test(v)))
      return `label value ${quote(v, 70)} (of ${quote(k, 40)}) is not a Kubernetes label value`;
  }
  return undefined;
}

/** A Service name (DNS-1035 label): what a Gateway API reference to an in-cluster host needs. */
export function isServiceName(s: string): boolean {
  return s.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(s);
}
