// Zod schemas of the appmesh.k8s.aws/v1beta2 specs (the CRD field names), used to check input and to find
// fields the CRD does not define (the API server silently prunes those, so they are warnings, not errors).
import { z } from "zod";

const str = z.string();
const nonEmpty = z.string().min(1);
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const port = int(1, 65535);
const protocol = z.enum(["http", "http2", "grpc", "tcp"]);
const gatewayProtocol = z.enum(["http", "http2", "grpc"]);
const o = z.strictObject;

export const durationSchema = o({
  unit: z.enum(["s", "ms"]),
  value: int(0, Number.MAX_SAFE_INTEGER),
});

const labelSelector = o({
  matchLabels: z.record(str, str).optional(),
  matchExpressions: z
    .array(o({ key: str, operator: str, values: z.array(str).optional() }))
    .optional(),
});
/** A Kubernetes namespace, as references name one (anything else could not exist in a cluster). */
const namespaceName = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a Kubernetes namespace (a DNS-1123 label)");
const ref = o({ name: nonEmpty, namespace: namespaceName.optional(), uid: str.optional() });
const meshRef = o({ name: str, uid: str });
const portMapping = o({ port, protocol });

const stringMatch = o({
  exact: str.optional(),
  prefix: str.optional(),
  regex: str.optional(),
  suffix: str.optional(),
  range: o({ start: z.number().int(), end: z.number().int() }).optional(),
});
const headerMatch = o({
  name: nonEmpty,
  match: stringMatch.optional(),
  invert: z.boolean().optional(),
});
const queryParameter = o({ name: nonEmpty, match: o({ exact: str.optional() }).optional() });
const pathMatch = o({ exact: str.optional(), regex: str.optional() });

const weightedTarget = o({
  virtualNodeRef: ref.optional(),
  virtualNodeARN: str.optional(),
  weight: int(0, 100),
  port: port.optional(),
});
const routeAction = o({ weightedTargets: z.array(weightedTarget).min(1).max(10) });
const httpTimeout = o({ perRequest: durationSchema.optional(), idle: durationSchema.optional() });
const tcpTimeout = o({ idle: durationSchema.optional() });

const httpRetryEvent = z.enum(["server-error", "gateway-error", "client-error", "stream-error"]);
const grpcRetryEvent = z.enum([
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
]);
const retryPolicy = o({
  httpRetryEvents: z.array(httpRetryEvent).optional(),
  grpcRetryEvents: z.array(grpcRetryEvent).optional(),
  tcpRetryEvents: z.array(z.enum(["connection-error"])).optional(),
  perRetryTimeout: durationSchema,
  maxRetries: int(0, Number.MAX_SAFE_INTEGER),
});

const httpRoute = o({
  match: o({
    prefix: str.optional(),
    path: pathMatch.optional(),
    headers: z.array(headerMatch).optional(),
    method: z
      .enum(["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"])
      .optional(),
    queryParameters: z.array(queryParameter).optional(),
    scheme: z.enum(["http", "https"]).optional(),
    port: port.optional(),
  }),
  action: routeAction,
  retryPolicy: retryPolicy.optional(),
  timeout: httpTimeout.optional(),
});
const grpcRoute = o({
  match: o({
    serviceName: str.optional(),
    methodName: str.optional(),
    metadata: z.array(headerMatch).optional(),
    port: port.optional(),
  }),
  action: routeAction,
  retryPolicy: retryPolicy.optional(),
  timeout: httpTimeout.optional(),
});
const tcpRoute = o({
  match: o({ port: port.optional() }).optional(),
  action: routeAction,
  timeout: tcpTimeout.optional(),
});
export const routeSchema = o({
  name: nonEmpty,
  priority: int(0, 1000).optional(),
  httpRoute: httpRoute.optional(),
  http2Route: httpRoute.optional(),
  grpcRoute: grpcRoute.optional(),
  tcpRoute: tcpRoute.optional(),
});

const sdsRef = o({ secretName: nonEmpty });
const fileCert = o({ certificateChain: nonEmpty, privateKey: nonEmpty });
const fileTrust = o({ certificateChain: nonEmpty });
const sanMatch = o({ match: o({ exact: z.array(str) }) });
/** How a TLS peer's certificate is validated: the same shape for clients and listeners. */
const tlsValidation = o({
  trust: o({
    acm: o({ certificateAuthorityARNs: z.array(str).min(1) }).optional(),
    file: fileTrust.optional(),
    sds: sdsRef.optional(),
  }),
  subjectAlternativeNames: sanMatch.optional(),
});
const clientPolicy = o({
  tls: o({
    enforce: z.boolean().optional(),
    ports: z.array(port).optional(),
    certificate: o({ file: fileCert.optional(), sds: sdsRef.optional() }).optional(),
    validation: tlsValidation,
  }).optional(),
});
const listenerTls = o({
  mode: z.enum(["DISABLED", "PERMISSIVE", "STRICT"]),
  certificate: o({
    acm: o({ certificateARN: nonEmpty }).optional(),
    file: fileCert.optional(),
    sds: sdsRef.optional(),
  }),
  validation: o({
    trust: o({ file: fileTrust.optional(), sds: sdsRef.optional() }),
    subjectAlternativeNames: sanMatch.optional(),
  }).optional(),
});
const healthCheck = o({
  healthyThreshold: int(2, 10),
  intervalMillis: int(5000, 300000),
  path: str.optional(),
  port: port.optional(),
  protocol,
  timeoutMillis: int(2000, 60000),
  unhealthyThreshold: int(2, 10),
});
const pos = int(1, Number.MAX_SAFE_INTEGER);
const connectionPool = o({
  tcp: o({ maxConnections: pos }).optional(),
  http: o({ maxConnections: pos, maxPendingRequests: pos.optional() }).optional(),
  http2: o({ maxRequests: pos }).optional(),
  grpc: o({ maxRequests: pos }).optional(),
});
const outlierDetection = o({
  maxServerErrors: pos,
  interval: durationSchema,
  baseEjectionDuration: durationSchema,
  maxEjectionPercent: int(0, 100),
});
const listener = o({
  portMapping,
  healthCheck: healthCheck.optional(),
  outlierDetection: outlierDetection.optional(),
  connectionPool: connectionPool.optional(),
  tls: listenerTls.optional(),
  timeout: o({
    tcp: tcpTimeout.optional(),
    http: httpTimeout.optional(),
    http2: httpTimeout.optional(),
    grpc: httpTimeout.optional(),
  }).optional(),
});
const ipPreference = z.enum(["IPv4_ONLY", "IPv4_PREFERRED", "IPv6_ONLY", "IPv6_PREFERRED"]);
const logging = o({
  accessLog: o({
    file: o({
      path: nonEmpty,
      format: o({
        text: str.optional(),
        json: z.array(o({ key: str, value: str })).optional(),
      }).optional(),
    }).optional(),
  }).optional(),
});

export const virtualNodeSpec = o({
  awsName: str.optional(),
  podSelector: labelSelector.optional(),
  listeners: z.array(listener).optional(),
  serviceDiscovery: o({
    awsCloudMap: o({
      namespaceName: nonEmpty,
      serviceName: nonEmpty,
      attributes: z.array(o({ key: str, value: str })).optional(),
      ipPreference: ipPreference.optional(),
    }).optional(),
    dns: o({
      hostname: nonEmpty,
      responseType: z.enum(["ENDPOINTS", "LOADBALANCER"]).optional(),
      ipPreference: ipPreference.optional(),
    }).optional(),
  }).optional(),
  backends: z
    .array(
      o({
        virtualService: o({
          virtualServiceRef: ref.optional(),
          virtualServiceARN: str.optional(),
          clientPolicy: clientPolicy.optional(),
        }),
      }),
    )
    .optional(),
  backendGroups: z.array(ref).optional(),
  backendDefaults: o({ clientPolicy: clientPolicy.optional() }).optional(),
  logging: logging.optional(),
  meshRef: meshRef.optional(),
});

export const virtualServiceSpec = o({
  awsName: str.optional(),
  provider: o({
    virtualNode: o({ virtualNodeRef: ref.optional(), virtualNodeARN: str.optional() }).optional(),
    virtualRouter: o({
      virtualRouterRef: ref.optional(),
      virtualRouterARN: str.optional(),
    }).optional(),
  }).optional(),
  meshRef: meshRef.optional(),
});

export const virtualRouterSpec = o({
  awsName: str.optional(),
  listeners: z.array(o({ portMapping })).optional(),
  routes: z.array(routeSchema).optional(),
  meshRef: meshRef.optional(),
});

const gatewayListener = o({
  portMapping: o({ port, protocol: gatewayProtocol }),
  healthCheck: healthCheck.optional(),
  connectionPool: connectionPool.omit({ tcp: true }).optional(),
  tls: o({
    mode: z.enum(["DISABLED", "PERMISSIVE", "STRICT"]),
    certificate: o({
      acm: o({ certificateARN: nonEmpty }).optional(),
      file: fileCert.optional(),
      sds: sdsRef.optional(),
    }),
    validation: tlsValidation.optional(),
  }).optional(),
});
export const virtualGatewaySpec = o({
  awsName: str.optional(),
  namespaceSelector: labelSelector.optional(),
  podSelector: labelSelector.optional(),
  gatewayRouteSelector: labelSelector.optional(),
  listeners: z.array(gatewayListener).optional(),
  backendDefaults: o({ clientPolicy: clientPolicy.optional() }).optional(),
  logging: logging.optional(),
  meshRef: meshRef.optional(),
});

const hostnameMatch = o({ exact: str.optional(), suffix: str.optional() });
const gatewayTarget = o({
  virtualService: o({ virtualServiceRef: ref.optional(), virtualServiceARN: str.optional() }),
  port: port.optional(),
});
const httpGatewayRoute = o({
  match: o({
    prefix: str.optional(),
    path: pathMatch.optional(),
    method: z
      .enum(["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"])
      .optional(),
    hostname: hostnameMatch.optional(),
    headers: z.array(headerMatch).optional(),
    queryParameters: z.array(queryParameter).optional(),
    port: port.optional(),
  }),
  action: o({
    target: gatewayTarget,
    rewrite: o({
      hostname: o({ defaultTargetHostname: z.enum(["ENABLED", "DISABLED"]) }).optional(),
      prefix: o({
        defaultPrefix: z.enum(["ENABLED", "DISABLED"]).optional(),
        value: str.optional(),
      }).optional(),
      path: o({ exact: str }).optional(),
    }).optional(),
  }),
});
const grpcGatewayRoute = o({
  match: o({
    serviceName: str.optional(),
    hostname: hostnameMatch.optional(),
    metadata: z.array(headerMatch).optional(),
    port: port.optional(),
  }),
  action: o({
    target: gatewayTarget,
    rewrite: o({
      hostname: o({ defaultTargetHostname: z.enum(["ENABLED", "DISABLED"]) }).optional(),
    }).optional(),
  }),
});
export const gatewayRouteSpec = o({
  awsName: str.optional(),
  priority: int(0, 1000).optional(),
  httpRoute: httpGatewayRoute.optional(),
  http2Route: httpGatewayRoute.optional(),
  grpcRoute: grpcGatewayRoute.optional(),
  virtualGatewayRef: ref.optional(),
  meshRef: meshRef.optional(),
});

export const meshSpec = o({
  awsName: str.optional(),
  namespaceSelector: labelSelector.optional(),
  egressFilter: o({ type: z.enum(["ALLOW_ALL", "DROP_ALL"]) }).optional(),
  meshOwner: str.optional(),
  serviceDiscovery: o({ ipPreference: ipPreference.optional() }).optional(),
});

export const backendGroupSpec = o({
  virtualservices: z.array(ref).optional(),
  meshRef: meshRef.optional(),
});

export const SPEC_SCHEMAS = {
  Mesh: meshSpec,
  VirtualNode: virtualNodeSpec,
  VirtualService: virtualServiceSpec,
  VirtualRouter: virtualRouterSpec,
  VirtualGateway: virtualGatewaySpec,
  GatewayRoute: gatewayRouteSpec,
  BackendGroup: backendGroupSpec,
  /** Not a Kubernetes kind: one route of the AWS API / CloudFormation, attached to its router. */
  Route: routeSchema,
} as const;

export type SchemaKind = keyof typeof SPEC_SCHEMAS;
export type AppMeshKind = Exclude<SchemaKind, "Route">;
export const APPMESH_KINDS: readonly AppMeshKind[] = [
  "Mesh",
  "VirtualNode",
  "VirtualService",
  "VirtualRouter",
  "VirtualGateway",
  "GatewayRoute",
  "BackendGroup",
];

export type Duration = z.infer<typeof durationSchema>;
export type LabelSelector = z.infer<typeof labelSelector>;
export type Ref = z.infer<typeof ref>;
export type Route = z.infer<typeof routeSchema>;
export type HttpRoute = z.infer<typeof httpRoute>;
export type GrpcRoute = z.infer<typeof grpcRoute>;
export type TcpRoute = z.infer<typeof tcpRoute>;
export type HeaderMatch = z.infer<typeof headerMatch>;
export type WeightedTarget = z.infer<typeof weightedTarget>;
export type RetryPolicy = z.infer<typeof retryPolicy>;
export type Listener = z.infer<typeof listener>;
export type ClientPolicy = z.infer<typeof clientPolicy>;
export type MeshSpec = z.infer<typeof meshSpec>;
export type VirtualNodeSpec = z.infer<typeof virtualNodeSpec>;
export type VirtualServiceSpec = z.infer<typeof virtualServiceSpec>;
export type VirtualRouterSpec = z.infer<typeof virtualRouterSpec>;
export type VirtualGatewaySpec = z.infer<typeof virtualGatewaySpec>;
export type GatewayRouteSpec = z.infer<typeof gatewayRouteSpec>;
export type HttpGatewayRoute = z.infer<typeof httpGatewayRoute>;
export type GrpcGatewayRoute = z.infer<typeof grpcGatewayRoute>;
export type BackendGroupSpec = z.infer<typeof backendGroupSpec>;

/** A spec checked against its schema: the parsed value plus the paths of fields the CRD does not define. */
export interface CheckedSpec<T> {
  readonly spec: T;
  readonly unknownFields: string[];
}

/** A problem that makes the spec unusable: its field path and what is wrong. */
export interface SpecProblem {
  readonly field: string;
  readonly message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "spec";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `.${String(p)}`;
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** ` (given: <value>)` for an issue's path, so the error quotes what the input said. */
function given(root: unknown, path: readonly PropertyKey[]): string {
  const v = valueAt(root, path);
  if (v === undefined) return "";
  const text = JSON.stringify(v) ?? typeof v;
  return ` (given: ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

function deleteAt(root: unknown, path: readonly PropertyKey[], key: string): void {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  if (cur !== null && typeof cur === "object") delete (cur as Record<string, unknown>)[key];
}

/**
 * Checks a spec. Fields the CRD does not define are removed and reported (as the API server prunes them);
 * anything else wrong is returned as problems. Input is never mutated.
 */
export function checkSpec<K extends SchemaKind>(
  kind: K,
  raw: unknown,
): CheckedSpec<z.infer<(typeof SPEC_SCHEMAS)[K]>> | { problems: SpecProblem[] } {
  const schema = SPEC_SCHEMAS[kind];
  let value: unknown = raw ?? {};
  const unknownFields: string[] = [];
  let cloned = false;
  // Unknown keys are reported at every level in one pass; a removal can only uncover type errors, so two
  // passes suffice, the third guards against surprises.
  for (let pass = 0; pass < 3; pass++) {
    const r = schema.safeParse(value);
    if (r.success) return { spec: r.data as z.infer<(typeof SPEC_SCHEMAS)[K]>, unknownFields };
    const unknown = r.error.issues.filter((i) => i.code === "unrecognized_keys");
    const other = r.error.issues.filter((i) => i.code !== "unrecognized_keys");
    if (other.length > 0 || unknown.length === 0) {
      const problems = (other.length > 0 ? other : r.error.issues).map((i) => ({
        field: formatPath(i.path),
        message: `${i.message}${given(value, i.path)}`,
      }));
      // A misspelt field often explains a missing one (certificateArn vs certificateARN): name both.
      for (const issue of unknown) {
        for (const k of (issue as { keys: string[] }).keys) {
          problems.push({
            field: `${formatPath(issue.path)}.${k}`,
            message: "not defined by the CRD",
          });
        }
      }
      return { problems };
    }
    if (!cloned) {
      value = structuredClone(value);
      cloned = true;
    }
    for (const issue of unknown) {
      for (const key of (issue as { keys: string[] }).keys) {
        unknownFields.push(`${formatPath(issue.path)}.${key}`);
        deleteAt(value, issue.path, key);
      }
    }
  }
  return { problems: [{ field: "spec", message: "could not be checked" }] };
}
