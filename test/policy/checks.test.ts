// Each mesh policy on a passing and a violating resource, with hand-built subjects for what the config schema would never produce.
import { strict as assert } from "node:assert";
import { MESH_POLICIES } from "../../policy/checks";
import { checkSubject, formatViolations } from "../../policy/run";
import { MeshResource, MeshSubject } from "../../policy/subject";

function res(
  type: string,
  name: string,
  props: Record<string, unknown>,
  protect = false,
): MeshResource {
  return { urn: `urn:pulumi:t::meshlift::${type}::${name}`, type, name, props, protect };
}

function subject(
  resources: MeshResource[],
  outputs: Record<string, unknown> = { phase: "workloads", environment: "dev" },
  secretsVisible = true,
): MeshSubject {
  return { resources, outputs, secretsVisible };
}

/** The violations of one policy. */
function run(policy: string, s: MeshSubject) {
  const p = MESH_POLICIES.find((x) => x.name === policy);
  assert.ok(p, policy);
  return checkSubject(s, [p]);
}

const ns = (name: string, labels: Record<string, string>) =>
  res("kubernetes:core/v1:NamespacePatch", `ns-${name}-labels`, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels },
  });

const release = (name: string, chart: string, values: Record<string, unknown>, protect = false) =>
  res("kubernetes:helm.sh/v3:Release", name, { name, chart, values }, protect);

const record = (name: string, id: string, weight: unknown) =>
  res("aws:route53/record:Record", `dns-${id}`, {
    name,
    type: "A",
    setIdentifier: id,
    weightedRoutingPolicies: [{ weight }],
  });

const LB = "service.beta.kubernetes.io/aws-load-balancer";
const NLB = {
  [`${LB}-type`]: "external",
  [`${LB}-nlb-target-type`]: "ip",
  [`${LB}-healthcheck-port`]: "15021",
  [`${LB}-healthcheck-path`]: "/healthz/ready",
  [`${LB}-healthcheck-protocol`]: "http",
};

describe("mesh policies", () => {
  it("are all distinct, named as CrossGuard names policies, and described", () => {
    const names = MESH_POLICIES.map((p) => p.name);
    assert.equal(new Set(names).size, names.length);
    for (const p of MESH_POLICIES) {
      assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(p.description.length > 20, p.name);
    }
    assert.equal(MESH_POLICIES.length, 10);
  });

  describe("single-sidecar-injector", () => {
    it("passes one injector per namespace", () => {
      const s = subject([
        ns("shop", {
          "istio-injection": "enabled",
          "appmesh.k8s.aws/sidecarInjectorWebhook": "disabled",
        }),
        ns("pay", {
          "istio-injection": "disabled",
          "appmesh.k8s.aws/sidecarInjectorWebhook": "enabled",
        }),
        // istio-injection=disabled wins over a revision label.
        ns("old", {
          "istio-injection": "disabled",
          "istio.io/rev": "1-30",
          "appmesh.k8s.aws/sidecarInjectorWebhook": "enabled",
        }),
      ]);
      assert.deepEqual(run("single-sidecar-injector", s), []);
    });
    it("fails a namespace with both, by label or by revision", () => {
      const s = subject([
        ns("shop", {
          "istio-injection": "enabled",
          "appmesh.k8s.aws/sidecarInjectorWebhook": "enabled",
        }),
        ns("pay", { "istio.io/rev": "1-30", "appmesh.k8s.aws/sidecarInjectorWebhook": "enabled" }),
      ]);
      const v = run("single-sidecar-injector", s);
      assert.deepEqual(
        v.map((x) => x.urn),
        [s.resources[0].urn, s.resources[1].urn],
      );
      assert.match(
        v[0].message,
        /namespace shop enables both the Istio injector and the App Mesh injector/,
      );
    });
  });

  describe("no-sidecar-injection-in-ambient", () => {
    it("passes ambient namespaces without injection labels, and sidecar namespaces of a sidecar mesh", () => {
      const s = subject([
        ns("shop", { "istio.io/dataplane-mode": "ambient", "istio-injection": "disabled" }),
        ns("pay", { "istio-injection": "enabled" }),
      ]);
      assert.deepEqual(run("no-sidecar-injection-in-ambient", s), []);
    });
    it("fails an ambient namespace with a sidecar label, and sidecar injection anywhere in an ambient mesh", () => {
      const labelled = subject([
        ns("shop", { "istio.io/dataplane-mode": "ambient", "istio-injection": "enabled" }),
      ]);
      assert.match(
        run("no-sidecar-injection-in-ambient", labelled)[0].message,
        /namespace shop is ambient but carries a sidecar injection label/,
      );
      const mesh = subject([
        ns("pay", { "istio-injection": "enabled" }),
        release("istio-ztunnel", "ztunnel", {}),
      ]);
      assert.match(
        run("no-sidecar-injection-in-ambient", mesh)[0].message,
        /\(the mesh runs in ambient mode\)/,
      );
      const byOutput = subject([ns("pay", { "istio.io/rev": "1-30" })], {
        phase: "workloads",
        istioMode: "ambient",
      });
      assert.equal(run("no-sidecar-injection-in-ambient", byOutput).length, 1);
      const optedOut = subject(
        [ns("pay", { "istio.io/dataplane-mode": "none", "istio-injection": "enabled" })],
        { istioMode: "ambient" },
      );
      assert.deepEqual(run("no-sidecar-injection-in-ambient", optedOut), []);
    });
  });

  describe("strict-mtls-after-appmesh", () => {
    const pa = (mode: string, portLevel?: Record<string, unknown>) =>
      res("kubernetes:security.istio.io/v1:PeerAuthentication", "pa", {
        metadata: { name: "default", namespace: "istio-system" },
        spec: { mtls: { mode }, ...(portLevel ? { portLevelMtls: portLevel } : {}) },
      });
    it("passes PERMISSIVE beside App Mesh, and STRICT once every namespace left it", () => {
      assert.deepEqual(
        run(
          "strict-mtls-after-appmesh",
          subject([
            pa("PERMISSIVE"),
            ns("pay", { "appmesh.k8s.aws/sidecarInjectorWebhook": "enabled" }),
          ]),
        ),
        [],
      );
      assert.deepEqual(
        run(
          "strict-mtls-after-appmesh",
          subject([pa("STRICT"), ns("shop", { "istio-injection": "enabled" })]),
        ),
        [],
      );
    });
    it("fails STRICT (mesh-wide or on a port) while a namespace is still on App Mesh", () => {
      const onAppMesh = ns("pay", { "appmesh.k8s.aws/sidecarInjectorWebhook": "enabled" });
      const v = run("strict-mtls-after-appmesh", subject([pa("STRICT"), onAppMesh]));
      assert.match(
        v[0].message,
        /PeerAuthentication istio-system\/default sets STRICT mTLS while namespace\(s\) pay are still on App Mesh/,
      );
      const port = run(
        "strict-mtls-after-appmesh",
        subject([pa("PERMISSIVE", { "8080": { mode: "STRICT" } }), onAppMesh]),
      );
      assert.equal(port.length, 1);
    });
  });

  describe("prod-control-plane-protected", () => {
    const guarded = (protect: boolean) => [
      res("eks:index:Cluster", "cluster-eks", { name: "c" }, protect),
      res("eks:index:ManagedNodeGroup", "cluster-core", {}, protect),
      release("istio-istiod", "istiod", {}, protect),
    ];
    it("passes protected control planes in prod, and anything outside prod", () => {
      assert.deepEqual(
        run("prod-control-plane-protected", subject(guarded(true), { environment: "prod-eu" })),
        [],
      );
      assert.deepEqual(
        run("prod-control-plane-protected", subject(guarded(false), { environment: "dev" })),
        [],
      );
    });
    it("fails an unprotected cluster, node group or istiod in prod (environment from outputs or tags)", () => {
      const v = run(
        "prod-control-plane-protected",
        subject(guarded(false), { environment: "prod" }),
      );
      assert.equal(v.length, 3);
      assert.match(
        v[0].message,
        /eks:index:Cluster cluster-eks is not protected in the production environment "prod"/,
      );
      const tagged = [
        ...guarded(false),
        res("aws:iam/role:Role", "r", { tags: { "meshlift:environment": "prod-us" } }),
      ];
      assert.equal(run("prod-control-plane-protected", subject(tagged, {})).length, 3);
    });
  });

  describe("route53-weights-total-100", () => {
    it("passes weights that add up to 100, and weights not known yet", () => {
      const s = subject([
        record("shop.example.com", "appmesh", 90),
        record("shop.example.com.", "istio", 10),
        record("pay.example.com", "appmesh", 100),
        record("api.example.com", "appmesh", "<computed>"),
      ]);
      assert.deepEqual(run("route53-weights-total-100", s), []);
    });
    it("fails a name whose weights do not", () => {
      const s = subject([
        record("shop.example.com", "appmesh", 100),
        record("shop.example.com", "istio", 10),
      ]);
      const [v] = run("route53-weights-total-100", s);
      assert.match(
        v.message,
        /shop\.example\.com \(A\) add up to 110, not 100 \(appmesh=100, istio=10\)/,
      );
    });
  });

  describe("appmesh-record-until-decommission", () => {
    const istioOnly = [record("shop.example.com", "istio", 100)];
    it("passes the App Mesh record beside Istio's, and Istio alone in decommission", () => {
      const both = [
        record("shop.example.com", "appmesh", 0),
        record("shop.example.com", "istio", 100),
      ];
      assert.deepEqual(
        run("appmesh-record-until-decommission", subject(both, { phase: "cutover" })),
        [],
      );
      assert.deepEqual(
        run("appmesh-record-until-decommission", subject(istioOnly, { phase: "decommission" })),
        [],
      );
    });
    it("fails an Istio record without its App Mesh sibling before decommission", () => {
      const [v] = run(
        "appmesh-record-until-decommission",
        subject(istioOnly, { phase: "cutover" }),
      );
      assert.equal(v.urn, istioOnly[0].urn);
      assert.match(v.message, /no "appmesh" record in phase cutover/);
    });
  });

  describe("gateway-nlb-health-check", () => {
    const gw = (annotations: Record<string, string>, extra: Record<string, unknown> = {}) =>
      release("istio-gateway", "gateway", {
        service: { type: "LoadBalancer", annotations },
        ...extra,
      });
    it("passes an NLB ingress gateway with Istio's health check, and an east-west NLB without one", () => {
      const eastWest = gw(
        { [`${LB}-type`]: "external", [`${LB}-nlb-target-type`]: "ip" },
        { labels: { istio: "eastwestgateway" } },
      );
      assert.deepEqual(run("gateway-nlb-health-check", subject([gw(NLB), eastWest])), []);
    });
    it("fails a Classic Load Balancer, a missing health check, and a raw LoadBalancer Service without NLB annotations", () => {
      const classic = gw({ [`${LB}-healthcheck-port`]: "15021" });
      const noCheck = gw({ [`${LB}-type`]: "external", [`${LB}-nlb-target-type`]: "ip" });
      const svc = res("kubernetes:core/v1:Service", "lb", {
        metadata: { name: "lb", namespace: "x" },
        spec: { type: "LoadBalancer" },
      });
      const v = run("gateway-nlb-health-check", subject([classic, noCheck, svc]));
      const text = formatViolations(v).join("\n");
      assert.match(
        text,
        /aws-load-balancer-type is undefined: without "external" \(or "nlb"\) AWS gives it a Classic Load Balancer/,
      );
      assert.match(
        text,
        /the NLB health check must probe Istio's readiness \(service\.beta\.kubernetes\.io\/aws-load-balancer-healthcheck-port=15021/,
      );
      assert.match(text, /Service x\/lb: /);
      const clusterIp = gw(NLB);
      (clusterIp.props.values as { service: { type: string } }).service.type = "ClusterIP";
      assert.match(
        run("gateway-nlb-health-check", subject([clusterIp]))[0].message,
        /Service type is "ClusterIP", not LoadBalancer/,
      );
    });
  });

  describe("virtualservice-subsets-defined", () => {
    const dr = (ns: string, host: string, subsets: string[]) =>
      res("kubernetes:networking.istio.io/v1:DestinationRule", `dr-${ns}-${host}`, {
        metadata: { name: host, namespace: ns },
        spec: { host, subsets: subsets.map((name) => ({ name, labels: { version: name } })) },
      });
    const vs = (ns: string, dest: Record<string, unknown>[], proto = "http") =>
      res("kubernetes:networking.istio.io/v1:VirtualService", `vs-${ns}`, {
        metadata: { name: "cart", namespace: ns },
        spec: {
          hosts: ["cart"],
          [proto]: [{ route: dest.map((destination) => ({ destination })) }],
        },
      });
    it("passes subsets a DestinationRule defines (short and full names, wildcard hosts), and routes without subsets", () => {
      const s = subject([
        dr("shop", "cart", ["v1", "v2"]),
        dr("shop", "*.pay.svc.cluster.local", ["blue"]),
        vs("shop", [
          { host: "cart.shop.svc.cluster.local", subset: "v2" },
          { host: "cart", subset: "v1" },
          { host: "ledger.pay.svc.cluster.local", subset: "blue" },
          { host: "other" },
        ]),
      ]);
      assert.deepEqual(run("virtualservice-subsets-defined", s), []);
    });
    it("fails a subset no DestinationRule defines, on http, tcp and tls routes and mirrors", () => {
      const s = subject([dr("shop", "cart", ["v1"]), vs("shop", [{ host: "cart", subset: "v3" }])]);
      const [v] = run("virtualservice-subsets-defined", s);
      assert.match(
        v.message,
        /routes to subset "v3" of cart\.shop\.svc\.cluster\.local, which no DestinationRule defines \(defined: v1\)/,
      );
      assert.equal(
        run(
          "virtualservice-subsets-defined",
          subject([vs("shop", [{ host: "db", subset: "a" }], "tcp")]),
        ).length,
        1,
      );
      assert.match(
        run(
          "virtualservice-subsets-defined",
          subject([vs("shop", [{ host: "db", subset: "a" }], "tls")]),
        )[0].message,
        /no DestinationRule for that host/,
      );
      const mirror = res("kubernetes:networking.istio.io/v1:VirtualService", "m", {
        metadata: { name: "m", namespace: "shop" },
        spec: {
          http: [
            {
              route: [{ destination: { host: "cart" } }],
              mirror: { host: "cart", subset: "shadow" },
            },
          ],
        },
      });
      assert.equal(
        run("virtualservice-subsets-defined", subject([dr("shop", "cart", ["v1"]), mirror])).length,
        1,
      );
    });
  });

  describe("no-retired-istio-hosts", () => {
    it("passes blob.istio.io charts and docker.io/istio images", () => {
      const ok = release("istio-istiod", "istiod", { global: { hub: "docker.io/istio" } });
      (ok.props as Record<string, unknown>).repositoryOpts = {
        repo: "https://blob.istio.io/istio-release/charts",
      };
      assert.deepEqual(run("no-retired-istio-hosts", subject([ok])), []);
    });
    it("fails each retired host wherever it appears", () => {
      const chart = res("kubernetes:helm.sh/v3:Release", "istio-base", {
        chart: "base",
        repositoryOpts: { repo: "https://istio-release.storage.googleapis.com/charts" },
      });
      const hub = release("istio-istiod", "istiod", { global: { hub: "gcr.io/istio-release" } });
      const image = res("kubernetes:apps/v1:Deployment", "d", {
        spec: {
          template: {
            spec: { containers: [{ image: "registry.istio.io/release/proxyv2:1.30.3" }] },
          },
        },
      });
      const v = run("no-retired-istio-hosts", subject([chart, hub, image]));
      assert.equal(v.length, 3);
      assert.match(
        v[0].message,
        /uses the retired host istio-release\.storage\.googleapis\.com \(at repositoryOpts\.repo\)/,
      );
      assert.match(v[1].message, /gcr\.io\/istio-release \(at values\.global\.hub\)/);
      assert.match(
        v[2].message,
        /registry\.istio\.io \(at spec\.template\.spec\.containers\.0\.image\)/,
      );
    });
  });

  describe("no-plain-secrets", () => {
    const secret = (data: unknown) =>
      res("kubernetes:core/v1:Secret", "s", {
        metadata: { name: "cacerts", namespace: "istio-system" },
        stringData: data,
      });
    it("passes Pulumi secrets in Secrets, plain settings in ConfigMaps, and Helm values that reference Secrets", () => {
      const s = subject([
        secret("[secret]"),
        res("kubernetes:core/v1:ConfigMap", "cm", { data: { mode: "json", restartToken: "3" } }),
        release("kiali", "kiali-server", {
          auth: { strategy: "anonymous" },
          existingSecret: "kiali-creds",
        }),
      ]);
      assert.deepEqual(run("no-plain-secrets", s), []);
    });
    it("fails a plain Secret, a credential in a ConfigMap, and a secret in Helm values (a Pulumi secret too)", () => {
      const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----";
      const s = subject([
        secret({ "ca-key.pem": pem, "ca-cert.pem": "[secret]" }),
        res("kubernetes:core/v1:ConfigMap", "cm", {
          metadata: { name: "app", namespace: "shop" },
          data: { dbPassword: "hunter2" },
        }),
        release("grafana", "grafana", { adminPassword: "[secret]" }),
        release("other", "other", { auth: { token: "AKIAIOSFODNN7EXAMPLE" } }),
      ]);
      const v = run("no-plain-secrets", s);
      const text = v.map((x) => x.message).join("\n");
      assert.equal(v.length, 4, text);
      assert.match(
        text,
        /Secret istio-system\/cacerts has stringData that is not a Pulumi secret \(ca-key\.pem\)/,
      );
      assert.match(
        text,
        /ConfigMap shop\/app holds a plain value under the credential key "dbPassword" at data\.dbPassword/,
      );
      assert.match(
        text,
        /Helm release grafana has a secret value in its values \(values\.adminPassword\)/,
      );
      assert.match(text, /an AWS access key id in its values \(values\.auth\.token\)/);
      assert.doesNotMatch(text, /hunter2|MIIE|AKIAIOSFODNN7EXAMPLE/, "never the value");
    });
    it("cannot judge Secret data where secrets are not visible (CrossGuard), and does not guess", () => {
      assert.deepEqual(run("no-plain-secrets", subject([secret({ a: "plain" })], {}, false)), []);
    });
  });

  it("survives hostile documents: deep nesting, __proto__ keys, wrong types", () => {
    let deep: unknown = "gcr.io/istio-release";
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const weird = [
      res("kubernetes:helm.sh/v3:Release", "deep", { values: deep, chart: 7 }),
      res(
        "kubernetes:core/v1:NamespacePatch",
        "p",
        JSON.parse('{"metadata": {"labels": {"__proto__": {"istio-injection": "enabled"}}}}'),
      ),
      res("aws:route53/record:Record", "r", { weightedRoutingPolicies: "lots", name: 5 }),
      res("kubernetes:networking.istio.io/v1:VirtualService", "v", { spec: { http: "nope" } }),
      res("kubernetes:core/v1:Secret", "s", { stringData: [1, null, { x: [] }] }),
    ];
    const v = checkSubject(subject(weird, { environment: 42, phase: ["x"] }));
    assert.ok(Array.isArray(v));
    assert.equal(
      ({} as Record<string, unknown>)["istio-injection"],
      undefined,
      "no prototype pollution",
    );
  });
});
