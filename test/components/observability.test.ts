// Observability on its own under mocks: each toggle's charts, monitors, tracing, secrets and Container Insights add-on, under the component and after what it is told to wait for; refusals of toggles that need each other before anything exists.
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  jaegerManifests,
  kialiValues,
  prometheusValues,
  tracingTelemetry,
} from "../../builders/observability";
import { Observability, ObservabilityArgs } from "../../components/observability";
import { ObservabilityConfig } from "../../config/sections/observability";
import { CHARTS, CLOUDWATCH_ADDON } from "../../config/versions";
import {
  buildUnderMocks,
  ofType,
  recordedNamed,
  recordUnderMocks,
  Registered,
} from "../support/component-mocks";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const SECRET = "kubernetes:core/v1:Secret";
const ROLE_ARN = "arn:aws:iam::123456789012:role/obs-cloudwatch-irsa-role";

const OFF: ObservabilityConfig = {
  prometheus: false,
  grafana: false,
  kiali: false,
  tracing: false,
  samplingPercentage: 1,
  containerInsights: false,
  namespace: "mon",
};

const state = (r: Registered) =>
  r.type === "aws:iam/role:Role"
    ? { arn: ROLE_ARN, name: "obs-cloudwatch-irsa-role" }
    : r.type === PASSWORD
      ? { result: "generated" }
      : {};

/** The component on a Kubernetes provider; each dependsOn hook gets a stand-in named after it. */
function record(on: Partial<ObservabilityConfig>, extra: Partial<ObservabilityArgs> = {}) {
  return recordUnderMocks(
    () => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      const standIn = (n: string) => [new k8s.core.v1.ConfigMap(n, {}, { provider })];
      return new Observability(
        "obs",
        {
          observability: { ...OFF, ...on },
          clusterName: "c",
          oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.example/id/A",
          oidcIssuer: "oidc.example/id/A",
          dependsOn: {
            kiali: standIn("after-kiali"),
            telemetry: standIn("after-telemetry"),
            jaeger: standIn("after-jaeger"),
            containerInsights: standIn("after-nodes"),
          },
          ...extra,
        },
        { providers: [provider] },
      );
    },
    { settle: (c) => [c.urn], state },
  );
}

describe("Observability", () => {
  it("creates nothing of its own with every toggle off", async () => {
    const { component, recorded } = await record({});
    const obs = recordedNamed(recorded, "obs");
    assert.equal(obs.type, "meshlift:observability:Observability");
    assert.deepEqual(
      recorded.filter((r) => r.parent === obs.urn),
      [],
    );
    assert.deepEqual(
      [component.prometheus, component.kiali, component.telemetry, component.containerInsights],
      [undefined, undefined, undefined, undefined],
    );
  });

  it("installs kube-prometheus-stack in its namespace, then Istio's monitors; Grafana's password only as a secret", async () => {
    const { recorded, component } = await record({ prometheus: true, grafana: true });
    const obs = recordedNamed(recorded, "obs").urn;
    const ns = recordedNamed(recorded, "obs-ns");
    assert.deepEqual(ns.inputs.metadata, { name: "mon" });
    const prom = recordedNamed(recorded, "obs-prometheus");
    assert.equal(prom.type, RELEASE);
    assert.ok(component.prometheus);
    assert.equal(prom.inputs.name, "kube-prometheus-stack");
    assert.equal(prom.inputs.chart, CHARTS.kubePrometheusStack.chart);
    assert.equal(prom.inputs.version, CHARTS.kubePrometheusStack.version);
    assert.deepEqual(prom.inputs.repositoryOpts, { repo: CHARTS.kubePrometheusStack.repo });
    assert.equal(prom.inputs.namespace, "mon");
    assert.deepEqual(prom.inputs.values, prometheusValues({ grafana: true }));
    const admin = recordedNamed(recorded, "obs-grafana-admin");
    assert.deepEqual(admin.inputs.metadata, { name: "grafana-admin", namespace: "mon" });
    assert.deepEqual(admin.secretInputs, ["stringData"]);
    assert.equal(recordedNamed(recorded, "obs-grafana-admin-password").inputs.length, 32);
    assert.ok(prom.dependsOn.includes(ns.urn) && prom.dependsOn.includes(admin.urn));
    for (const n of [
      "obs-servicemonitor-istio-component-monitor",
      "obs-podmonitor-envoy-stats-monitor",
    ]) {
      const m = recordedNamed(recorded, n);
      assert.equal((m.inputs.metadata as { namespace: string }).namespace, "mon");
      assert.ok(m.dependsOn.includes(prom.urn), `${n} waits for the chart's CRDs`);
    }
    for (const r of recorded.filter((x) => x.parent === obs && x.type.startsWith("kubernetes:"))) {
      assert.equal(r.provider, recordedNamed(recorded, "k8s").urn, r.name);
    }
  });

  it("leaves Grafana out without asking, and then generates no password", async () => {
    const { registered } = await record({ prometheus: true });
    assert.deepEqual(ofType(registered, PASSWORD), []);
    assert.deepEqual(
      ofType(registered, RELEASE)[0].inputs.values,
      prometheusValues({ grafana: false }),
    );
  });

  it("traces to an in-cluster Jaeger after its hook, or to the OTLP collector given, through one Telemetry", async () => {
    const jaeger = await record({ tracing: true, samplingPercentage: 5 });
    const want = jaegerManifests();
    const dep = recordedNamed(jaeger.recorded, "obs-jaeger");
    assert.deepEqual(dep.inputs.metadata, want.deployment.metadata);
    const after = recordedNamed(jaeger.recorded, "after-jaeger").urn;
    assert.ok(dep.dependsOn.includes(after));
    for (const s of want.services) {
      assert.ok(recordedNamed(jaeger.recorded, `obs-jaeger-${s.name}`).dependsOn.includes(after));
    }
    const t = recordedNamed(jaeger.recorded, "obs-telemetry-mesh-default");
    assert.equal(t.type, "kubernetes:telemetry.istio.io/v1:Telemetry");
    assert.deepEqual(t.inputs.spec, tracingTelemetry({ ...OFF, samplingPercentage: 5 }).spec);
    assert.ok(t.dependsOn.includes(recordedNamed(jaeger.recorded, "after-telemetry").urn));

    const otlp = await record({ tracing: true, otlp: { service: "otel.o.svc", port: 4317 } });
    assert.deepEqual(ofType(otlp.registered, "kubernetes:apps/v1:Deployment"), []);
    assert.deepEqual(ofType(otlp.registered, "kubernetes:core/v1:Service"), []);
    recordedNamed(otlp.recorded, "obs-telemetry-mesh-default");
  });

  it("runs Kiali after its hook with a generated signing key in a Secret, never in the values", async () => {
    const prometheusUrl = "http://prom.example:9090";
    const { recorded } = await record({ kiali: true, kialiPrometheusUrl: prometheusUrl });
    const key = recordedNamed(recorded, "obs-kiali-signing-key");
    assert.equal(key.type, PASSWORD);
    assert.deepEqual([key.inputs.length, key.inputs.special], [32, false]);
    const secret = recorded.find((r) => r.type === SECRET && r.name === "obs-kiali-signing-key");
    assert.ok(secret);
    assert.deepEqual(secret.inputs.metadata, {
      name: "kiali-signing-key",
      namespace: "istio-system",
    });
    assert.deepEqual(secret.secretInputs, ["stringData"]);
    const kiali = recordedNamed(recorded, "obs-kiali");
    assert.equal(kiali.inputs.chart, CHARTS.kiali.chart);
    assert.equal(kiali.inputs.version, CHARTS.kiali.version);
    assert.equal(kiali.inputs.namespace, "istio-system");
    assert.deepEqual(
      kiali.inputs.values,
      kialiValues({ ...OFF, kiali: true, kialiPrometheusUrl: prometheusUrl }),
    );
    assert.ok(!JSON.stringify(kiali.inputs.values).includes("generated"));
    const after = recordedNamed(recorded, "after-kiali").urn;
    assert.ok(kiali.dependsOn.includes(after) && kiali.dependsOn.includes(secret.urn));
    assert.ok(secret.dependsOn.includes(after));
  });

  it("runs Container Insights as the EKS add-on with an IRSA role for the agent, after the nodes", async () => {
    const { recorded, registered } = await record(
      { containerInsights: true },
      { tags: { team: "mesh" } },
    );
    const addon = recordedNamed(recorded, "obs-cloudwatch");
    assert.equal(addon.type, "aws:eks/addon:Addon");
    assert.equal(addon.inputs.clusterName, "c");
    assert.equal(addon.inputs.addonName, CLOUDWATCH_ADDON);
    assert.equal(addon.inputs.serviceAccountRoleArn, ROLE_ARN);
    assert.deepEqual(addon.inputs.tags, { team: "mesh" });
    assert.equal(addon.inputs.resolveConflictsOnCreate, "OVERWRITE");
    assert.equal(addon.inputs.resolveConflictsOnUpdate, "PRESERVE");
    const irsa = recordedNamed(recorded, "obs-cloudwatch-irsa");
    assert.equal(irsa.parent, recordedNamed(recorded, "obs").urn);
    // dependsOn a component reaches the engine as its custom children: the role and, only
    // through dependsOn, the policy attachments.
    const irsaChildren = recorded.filter((r) => r.parent === irsa.urn && r.custom);
    assert.equal(irsaChildren.length, 3);
    for (const r of irsaChildren) assert.ok(addon.dependsOn.includes(r.urn), r.name);
    assert.ok(addon.dependsOn.includes(recordedNamed(recorded, "after-nodes").urn));
    const role = recordedNamed(recorded, "obs-cloudwatch-irsa-role");
    assert.match(
      String(role.inputs.assumeRolePolicy),
      /"system:serviceaccount:amazon-cloudwatch:cloudwatch-agent"/,
    );
    assert.deepEqual(
      ofType(registered, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .map((a) => a.inputs.policyArn)
        .sort(),
      [
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
      ],
    );
    // The add-on creates and annotates the agent's ServiceAccount itself.
    assert.deepEqual(ofType(registered, "kubernetes:core/v1:ServiceAccount"), []);
  });

  it("refuses Kiali or Grafana without a Prometheus, naming the key, before creating anything", async () => {
    for (const [on, want] of [
      [
        { kiali: true },
        "Observability obs: meshlift:observability.kiali.enabled: Kiali needs Prometheus: enable observability.prometheus or set observability.kiali.prometheusUrl",
      ],
      [
        { grafana: true },
        "Observability obs: meshlift:observability.grafana.enabled: Grafana comes with kube-prometheus-stack: enable observability.prometheus too",
      ],
    ] as const) {
      const { registered } = await buildUnderMocks(
        () =>
          assert.throws(
            () =>
              new Observability("obs", {
                observability: { ...OFF, ...on, tracing: true, containerInsights: true },
                clusterName: "c",
                oidcProviderArn: "arn",
                oidcIssuer: "issuer",
              }),
            (e: unknown) => e instanceof pulumi.ResourceError && e.message === want,
          ),
        { settle: () => [] },
      );
      assert.deepEqual(
        registered.filter((r) => r.type !== "meshlift:observability:Observability"),
        [],
      );
    }
  });
});
