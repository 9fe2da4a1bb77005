// Random, schema-valid App Mesh input for the property, parity and fuzz tests (fast-check arbitraries).
import fc from "fast-check";

const NODES = ["a", "b", "c", "d"];
const NS = fc.constantFrom("alpha", "beta");
const duration = fc.record({
  unit: fc.constantFrom("s", "ms"),
  value: fc.integer({ min: 0, max: 120000 }),
});
const stringMatch = fc.oneof(
  fc.record({ exact: fc.string({ maxLength: 8 }) }),
  fc.record({ prefix: fc.string({ maxLength: 8 }) }),
  fc.record({ regex: fc.constantFrom(".*x.*", "^v[0-9]+$") }),
  fc.record({ suffix: fc.string({ maxLength: 8 }) }),
  fc.record({
    range: fc.record({
      start: fc.integer({ min: 0, max: 500 }),
      end: fc.integer({ min: 0, max: 900 }),
    }),
  }),
);
const header = fc.record(
  { name: fc.constantFrom("x-a", "X-B", "c_d"), match: stringMatch, invert: fc.boolean() },
  { requiredKeys: ["name"] },
);
const targets = fc.array(
  fc.record(
    {
      virtualNodeRef: fc.record({ name: fc.constantFrom(...NODES, "ghost") }),
      weight: fc.integer({ min: 0, max: 100 }),
      port: fc.integer({ min: 1, max: 65535 }),
    },
    { requiredKeys: ["virtualNodeRef", "weight"] },
  ),
  { minLength: 1, maxLength: 5 },
);
const retry = fc.record(
  {
    maxRetries: fc.integer({ min: 0, max: 10 }),
    perRetryTimeout: duration,
    httpRetryEvents: fc.subarray(["server-error", "gateway-error", "client-error", "stream-error"]),
    tcpRetryEvents: fc.constantFrom(["connection-error"]),
    grpcRetryEvents: fc.subarray([
      "cancelled",
      "deadline-exceeded",
      "internal",
      "resource-exhausted",
      "unavailable",
    ]),
  },
  { requiredKeys: ["maxRetries", "perRetryTimeout"] },
);
const timeout = fc.record({ perRequest: duration, idle: duration }, { requiredKeys: [] });
const httpRoute = fc.record(
  {
    match: fc.oneof(
      fc.record(
        {
          prefix: fc.constantFrom("/", "/api", "/api/v1"),
          headers: fc.array(header, { maxLength: 3 }),
          method: fc.constantFrom("GET", "POST"),
          queryParameters: fc.array(
            fc.record({
              name: fc.constantFrom("q", "r"),
              match: fc.record({ exact: fc.string({ maxLength: 4 }) }),
            }),
            { maxLength: 2 },
          ),
          scheme: fc.constantFrom("http", "https"),
          port: fc.integer({ min: 1, max: 65535 }),
        },
        { requiredKeys: ["prefix"] },
      ),
      fc.record({
        path: fc.oneof(
          fc.record({ exact: fc.constantFrom("/x", "/y/z") }),
          fc.record({ regex: fc.constant("/v[0-9]+") }),
        ),
      }),
    ),
    action: fc.record({ weightedTargets: targets }),
    retryPolicy: retry,
    timeout,
  },
  { requiredKeys: ["match", "action"] },
);
const grpcRoute = fc.record(
  {
    match: fc.record(
      {
        serviceName: fc.constantFrom("pkg.Svc", "Hello"),
        methodName: fc.constantFrom("Get", "Put"),
        metadata: fc.array(header, { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
    action: fc.record({ weightedTargets: targets }),
    retryPolicy: retry,
    timeout,
  },
  { requiredKeys: ["match", "action"] },
);
const tcpRoute = fc.record(
  { action: fc.record({ weightedTargets: targets }), timeout: fc.record({ idle: duration }) },
  { requiredKeys: ["action"] },
);
const route = fc.oneof(
  fc.record({
    httpRoute,
    priority: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
  }),
  fc.record({ http2Route: httpRoute }),
  fc.record({ grpcRoute }),
  fc.record({ tcpRoute }),
);
const protocol = fc.constantFrom("http", "http2", "grpc", "tcp");
const listener = fc.record(
  {
    portMapping: fc.record({ port: fc.integer({ min: 1, max: 65535 }), protocol }),
    healthCheck: fc.record({
      healthyThreshold: fc.constant(2),
      intervalMillis: fc.constant(5000),
      protocol,
      timeoutMillis: fc.constant(2000),
      unhealthyThreshold: fc.constant(3),
    }),
    outlierDetection: fc.record({
      maxServerErrors: fc.integer({ min: 1, max: 10 }),
      interval: duration,
      baseEjectionDuration: duration,
      maxEjectionPercent: fc.integer({ min: 0, max: 100 }),
    }),
    connectionPool: fc.record({
      http: fc.record({
        maxConnections: fc.integer({ min: 1, max: 100 }),
        maxPendingRequests: fc.integer({ min: 1, max: 100 }),
      }),
    }),
    tls: fc.record(
      {
        mode: fc.constantFrom("STRICT", "PERMISSIVE", "DISABLED"),
        certificate: fc.oneof(
          fc.record({ acm: fc.record({ certificateARN: fc.constant("arn:aws:acm:x") }) }),
          fc.record({ sds: fc.record({ secretName: fc.constant("spiffe://td/a") }) }),
        ),
        validation: fc.record({
          trust: fc.record({ sds: fc.record({ secretName: fc.constant("spiffe://td") }) }),
          subjectAlternativeNames: fc.record({
            match: fc.record({
              exact: fc.subarray(["spiffe://td/a", "b.alpha.svc.cluster.local", "nobody"]),
            }),
          }),
        }),
      },
      { requiredKeys: ["mode", "certificate"] },
    ),
    timeout: fc.record(
      { http: timeout, grpc: timeout, tcp: fc.record({ idle: duration }) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ["portMapping"] },
);
const serviceDiscovery = fc.oneof(
  fc.record({
    dns: fc.record({
      hostname: fc.constantFrom(
        "a.alpha.svc.cluster.local",
        "shared.alpha.svc.cluster.local",
        "api.example.com",
        "b",
      ),
    }),
  }),
  fc.record({
    awsCloudMap: fc.record({
      namespaceName: fc.constant("x.local"),
      serviceName: fc.constantFrom("shared", "solo"),
    }),
  }),
);
const node = (name: string) =>
  fc.record({
    apiVersion: fc.constant("appmesh.k8s.aws/v1beta2"),
    kind: fc.constant("VirtualNode"),
    metadata: fc.record({ name: fc.constant(name), namespace: NS }),
    spec: fc.record(
      {
        podSelector: fc.record({
          matchLabels: fc.constantFrom({ app: name }, { app: "shared", v: name }),
        }),
        listeners: fc.array(listener, { maxLength: 2 }),
        serviceDiscovery,
        backends: fc.array(
          fc.record({
            virtualService: fc.record({
              virtualServiceRef: fc.record({ name: fc.constantFrom("svc", "other", "missing") }),
            }),
          }),
          { maxLength: 2 },
        ),
        backendDefaults: fc.record({
          clientPolicy: fc.record({
            tls: fc.record({
              enforce: fc.boolean(),
              validation: fc.record({
                trust: fc.record({ file: fc.record({ certificateChain: fc.constant("/ca.pem") }) }),
              }),
            }),
          }),
        }),
      },
      { requiredKeys: [] },
    ),
  });
const routerDoc = fc
  .record({
    namespace: NS,
    listeners: fc.array(
      fc.record({ portMapping: fc.record({ port: fc.integer({ min: 1, max: 65535 }), protocol }) }),
      { minLength: 1, maxLength: 2 },
    ),
    routes: fc.array(route, { minLength: 1, maxLength: 5 }),
  })
  .map((r) => ({
    apiVersion: "appmesh.k8s.aws/v1beta2",
    kind: "VirtualRouter",
    metadata: { name: "router", namespace: r.namespace },
    spec: { listeners: r.listeners, routes: r.routes.map((x, i) => ({ name: `r${i}`, ...x })) },
  }));
const serviceDoc = fc.record({
  apiVersion: fc.constant("appmesh.k8s.aws/v1beta2"),
  kind: fc.constant("VirtualService"),
  metadata: fc.record({ name: fc.constantFrom("svc", "other"), namespace: NS }),
  spec: fc.oneof(
    fc.record(
      {
        awsName: fc.constantFrom("svc.alpha", "svc.example.internal"),
        provider: fc.record({
          virtualRouter: fc.record({
            virtualRouterRef: fc.record({ name: fc.constant("router") }),
          }),
        }),
      },
      { requiredKeys: ["provider"] },
    ),
    fc.record({
      provider: fc.record({
        virtualNode: fc.record({ virtualNodeRef: fc.record({ name: fc.constantFrom(...NODES) }) }),
      }),
    }),
  ),
});
const gatewayDocs = fc
  .record({
    ns: NS,
    port: fc.integer({ min: 1, max: 65535 }),
    routes: fc.array(
      fc.record(
        {
          priority: fc.integer({ min: 0, max: 1000 }),
          httpRoute: fc.record({
            match: fc.record(
              {
                prefix: fc.constantFrom("/", "/a", "/a/b"),
                hostname: fc.oneof(
                  fc.record({ exact: fc.constant("www.example.com") }),
                  fc.record({ suffix: fc.constant("example.com") }),
                ),
              },
              { requiredKeys: ["prefix"] },
            ),
            action: fc.record(
              {
                target: fc.record({
                  virtualService: fc.record({
                    virtualServiceRef: fc.record({
                      name: fc.constantFrom("svc", "other", "missing"),
                    }),
                  }),
                }),
                rewrite: fc.record(
                  {
                    prefix: fc.oneof(
                      fc.record({ value: fc.constant("/x/") }),
                      fc.record({ defaultPrefix: fc.constantFrom("ENABLED", "DISABLED") }),
                    ),
                    hostname: fc.record({
                      defaultTargetHostname: fc.constantFrom("ENABLED", "DISABLED"),
                    }),
                  },
                  { requiredKeys: [] },
                ),
              },
              { requiredKeys: ["target"] },
            ),
          }),
        },
        { requiredKeys: ["httpRoute"] },
      ),
      { maxLength: 3 },
    ),
  })
  .map((g) => [
    {
      apiVersion: "appmesh.k8s.aws/v1beta2",
      kind: "VirtualGateway",
      metadata: { name: "gw", namespace: g.ns },
      spec: {
        podSelector: { matchLabels: { app: "gw" } },
        listeners: [{ portMapping: { port: g.port, protocol: "http" } }],
      },
    },
    ...g.routes.map((spec, i) => ({
      apiVersion: "appmesh.k8s.aws/v1beta2",
      kind: "GatewayRoute",
      metadata: { name: `gr${i}`, namespace: g.ns },
      spec,
    })),
  ]);
const meshDoc = fc.record({
  apiVersion: fc.constant("appmesh.k8s.aws/v1beta2"),
  kind: fc.constant("Mesh"),
  metadata: fc.record({ name: fc.constant("m") }),
  spec: fc.record(
    { egressFilter: fc.record({ type: fc.constantFrom("ALLOW_ALL", "DROP_ALL") }) },
    { requiredKeys: [] },
  ),
});
export const input = fc
  .tuple(
    meshDoc,
    fc.tuple(...NODES.map(node)),
    routerDoc,
    fc.array(serviceDoc, { maxLength: 2 }),
    gatewayDocs,
  )
  .map(([mesh, nodes, router, services, gw]) => [mesh, ...nodes, router, ...services, ...gw]);

const apiName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/);
export const apiRoute = fc.record({
  meshName: fc.constant("m"),
  virtualRouterName: apiName,
  routeName: apiName,
  spec: fc.record(
    {
      priority: fc.integer({ min: 0, max: 1000 }),
      httpRoute: fc.record(
        {
          match: fc.record({ prefix: fc.constantFrom("/", "/a") }),
          action: fc.record({
            weightedTargets: fc.array(
              fc.record({ virtualNode: apiName, weight: fc.integer({ min: 0, max: 100 }) }),
              { minLength: 1, maxLength: 5 },
            ),
          }),
          retryPolicy: retry,
          timeout,
        },
        { requiredKeys: ["match", "action"] },
      ),
    },
    { requiredKeys: ["httpRoute"] },
  ),
});
