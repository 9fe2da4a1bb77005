// Pure builders for SecurityBaseline: Istio security manifests (security.istio.io/v1): mesh mTLS, default-deny, allow rules, JWT.
import { AllowRuleConfig, JwtConfig, SecurityConfig } from "../config/sections/security";
import { PhaseSpec } from "../phases/phases";
import { ISTIO_NAMESPACE, NamespacedObject } from "./istio-common";
import { GATEWAY_LABELS } from "./istio-mesh";

export const SECURITY_API = "security.istio.io/v1";

export type MtlsMode = "PERMISSIVE" | "STRICT";

/**
 * PERMISSIVE while App Mesh (plain-text to Istio workloads) still sends traffic; STRICT once App Mesh
 * is gone, or earlier on request.
 */
export function meshMtlsMode(spec: PhaseSpec, security: SecurityConfig): MtlsMode {
  return spec.appmeshRemoved || security.strictMtls ? "STRICT" : "PERMISSIVE";
}

/** What the security baseline holds in a phase (PhasePlan.security). */
export interface SecurityPlan {
  /** The baseline exists: Istio is installed. */
  readonly installed: boolean;
  /** The mesh-wide PeerAuthentication mode. */
  readonly mtlsMode: MtlsMode;
  /** Default-deny and allow rules exist: they only matter for workloads with a proxy. */
  readonly workloadPolicies: boolean;
}

export function securityPlan(spec: PhaseSpec, security: SecurityConfig): SecurityPlan {
  return {
    installed: spec.istioInstalled,
    mtlsMode: meshMtlsMode(spec, security),
    // Workloads get a proxy from the workloads phase on; policies earlier would be dead config.
    workloadPolicies: spec.workloadsMigrate,
  };
}

/** The mesh-wide PeerAuthentication: named `default` in the root namespace. */
export function meshPeerAuthentication(mode: MtlsMode): NamespacedObject {
  return {
    apiVersion: SECURITY_API,
    kind: "PeerAuthentication",
    metadata: { name: "default", namespace: ISTIO_NAMESPACE },
    spec: { mtls: { mode } },
  };
}

/** An empty spec denies every request to the namespace's workloads (ALLOW with no rules matches nothing). */
export function defaultDeny(namespace: string): NamespacedObject {
  return {
    apiVersion: SECURITY_API,
    kind: "AuthorizationPolicy",
    metadata: { name: "default-deny", namespace },
    spec: {},
  };
}

function nonEmpty<T>(xs: readonly T[] | undefined): T[] | undefined {
  return xs && xs.length > 0 ? [...xs] : undefined;
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** One explicit ALLOW rule. */
export function allowPolicy(r: AllowRuleConfig): NamespacedObject {
  const source = compact({
    principals: nonEmpty(r.principals),
    namespaces: nonEmpty(r.sourceNamespaces),
    ipBlocks: nonEmpty(r.ipBlocks),
  });
  const operation = compact({
    methods: nonEmpty(r.methods),
    paths: nonEmpty(r.paths),
    ports: nonEmpty(r.ports)?.map(String),
  });
  const rule = compact({
    from: [{ source }],
    to: Object.keys(operation).length > 0 ? [{ operation }] : undefined,
  });
  return {
    apiVersion: SECURITY_API,
    kind: "AuthorizationPolicy",
    metadata: { name: r.name, namespace: r.namespace },
    spec: compact({
      selector: r.selector ? { matchLabels: { ...r.selector } } : undefined,
      action: "ALLOW",
      rules: [rule],
    }),
  };
}

/**
 * JWT: RequestAuthentication validates tokens that are present; the DENY policy rejects requests that
 * carry none (no request principal), which RequestAuthentication alone lets through.
 */
export function jwtPolicies(j: JwtConfig, gatewayNamespace: string): NamespacedObject[] {
  const namespace = j.namespace ?? gatewayNamespace;
  const selector = { matchLabels: { ...(j.selector ?? GATEWAY_LABELS) } };
  const requestAuthentication: NamespacedObject = {
    apiVersion: SECURITY_API,
    kind: "RequestAuthentication",
    metadata: { name: `jwt-${j.name}`, namespace },
    spec: {
      selector,
      jwtRules: [
        compact({
          issuer: j.issuer,
          jwksUri: j.jwksUri,
          audiences: nonEmpty(j.audiences),
          forwardOriginalToken: j.forwardOriginalToken,
        }),
      ],
    },
  };
  const requirePrincipal: NamespacedObject = {
    apiVersion: SECURITY_API,
    kind: "AuthorizationPolicy",
    metadata: { name: `require-jwt-${j.name}`, namespace },
    spec: {
      selector,
      action: "DENY",
      rules: [
        compact({
          from: [{ source: { notRequestPrincipals: ["*"] } }],
          to: j.paths?.length ? [{ operation: { paths: [...j.paths] } }] : undefined,
        }),
      ],
    },
  };
  return [requestAuthentication, requirePrincipal];
}

/** Everything the security baseline creates in a phase, in a stable order. */
export function securityManifests(
  plan: SecurityPlan,
  security: SecurityConfig,
  gatewayNamespace: string,
): NamespacedObject[] {
  if (!plan.installed) return [];
  const out = [meshPeerAuthentication(plan.mtlsMode)];
  if (plan.workloadPolicies) {
    out.push(...security.defaultDenyNamespaces.map(defaultDeny));
    out.push(...security.allow.map(allowPolicy));
  }
  out.push(...security.jwt.flatMap((j) => jwtPolicies(j, gatewayNamespace)));
  return out;
}

/** Child resource name for an Istio object: kind, namespace and name keep it unique and stable. */
export function istioResourceName(prefix: string, o: NamespacedObject): string {
  return `${prefix}-${o.kind.toLowerCase()}-${o.metadata.namespace}-${o.metadata.name}`;
}
