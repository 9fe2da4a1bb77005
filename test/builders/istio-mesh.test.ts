// Tests the pure Helm values for the Istio charts, including the chart-key walk.
import * as assert from "node:assert/strict";
import { GATEWAY_NODE_LABEL, GATEWAY_NODE_TAINT } from "../../builders/eks-cluster";
import {
  baseValues,
  cniValues,
  gatewayValues,
  istiodValues,
  ztunnelValues,
} from "../../builders/istio-mesh";
import { ISTIO_VERSION } from "../../config/versions";
import { Values } from "../../builders/helm";
import { lbControllerValues } from "../../builders/lb-controller";
import { istioSchema, IstioConfig } from "../../config/sections/istio";
import { loadKeys, unknownKeys } from "../support/chart-keys";

const sidecar: IstioConfig = istioSchema.parse({});
const ambient: IstioConfig = istioSchema.parse({ mode: "ambient" });

function at(v: Values, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((n, k) => (n as Values | undefined)?.[k], v);
}

describe("istiodValues", () => {
  const v = istiodValues(sidecar);

  it("runs istiod highly available: HPA from 2, zone spread, a PDB, requests and limits", () => {
    assert.equal(v.autoscaleEnabled, true);
    assert.ok((v.autoscaleMin as number) >= 2);
    assert.equal(v.autoscaleMax, 5);
    assert.deepEqual(at(v, "pdb.minAvailable"), 1);
    assert.equal(at(v, "global.defaultPodDisruptionBudget.enabled"), true);
    const spread = v.topologySpreadConstraints as Values[];
    assert.equal(spread[0].topologyKey, "topology.kubernetes.io/zone");
    assert.deepEqual(at(v, "resources.requests"), { cpu: "500m", memory: "2048Mi" });
    assert.deepEqual(at(v, "resources.limits"), { cpu: "2000m", memory: "4096Mi" });
  });

  it("sets access logs, proxy concurrency and proxy resources where the chart reads them", () => {
    assert.equal(at(v, "meshConfig.accessLogFile"), "/dev/stdout");
    assert.equal(at(v, "meshConfig.accessLogEncoding"), "JSON");
    assert.equal(at(v, "meshConfig.defaultConfig.concurrency"), 2);
    assert.equal(at(v, "global.proxy.concurrency"), undefined);
    assert.deepEqual(at(v, "global.proxy.resources"), {
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "2000m", memory: "1024Mi" },
    });
  });

  it("follows the config: access log target, encoding, HA bounds, concurrency", () => {
    const c = istioSchema.parse({
      istiod: { autoscaleMin: 3, autoscaleMax: 7 },
      accessLog: { file: "/var/log/envoy.log", encoding: "TEXT" },
      proxy: { concurrency: 4 },
    });
    const x = istiodValues(c);
    assert.equal(x.autoscaleMin, 3);
    assert.equal(x.autoscaleMax, 7);
    assert.equal(at(x, "meshConfig.accessLogFile"), "/var/log/envoy.log");
    assert.equal(at(x, "meshConfig.accessLogEncoding"), "TEXT");
    assert.equal(at(x, "meshConfig.defaultConfig.concurrency"), 4);
  });

  it("uses the cni node agent and injects nothing by default", () => {
    assert.equal(at(v, "cni.enabled"), true);
    assert.equal(at(v, "sidecarInjectorWebhook.enableNamespacesByDefault"), false);
    assert.notEqual(at(v, "global.proxy.autoInject"), "always");
  });

  it("has no legacy pilot. prefix and no profile in sidecar mode", () => {
    assert.equal(v.pilot, undefined);
    assert.equal(v.profile, undefined);
  });

  it("sets profile ambient in ambient mode, on istiod and cni", () => {
    assert.equal(istiodValues(ambient).profile, "ambient");
    assert.equal(cniValues(ambient).profile, "ambient");
    assert.equal(cniValues(sidecar).profile, undefined);
  });
});

describe("gatewayValues", () => {
  const v = gatewayValues(sidecar, true);

  it("pins the gateway name and the istio: ingressgateway label", () => {
    assert.equal(v.name, "istio-ingressgateway");
    assert.deepEqual(v.labels, { istio: "ingressgateway" });
  });

  it("schedules on the gateway node group: its label and a toleration for its taint", () => {
    assert.deepEqual(v.nodeSelector, { [GATEWAY_NODE_LABEL.key]: GATEWAY_NODE_LABEL.value });
    assert.deepEqual(v.tolerations, [
      {
        key: GATEWAY_NODE_TAINT.key,
        operator: "Equal",
        value: GATEWAY_NODE_TAINT.value,
        effect: "NoSchedule",
      },
    ]);
    const shared = gatewayValues(sidecar, false);
    assert.equal(shared.nodeSelector, undefined);
    assert.equal(shared.tolerations, undefined);
  });

  it("asks the LB controller for a cross-zone NLB with IP targets and a 15021 health check", () => {
    const a = at(v, "service.annotations") as Record<string, string>;
    const p = "service.beta.kubernetes.io/aws-load-balancer-";
    assert.equal(a[`${p}type`], "external");
    assert.equal(a[`${p}nlb-target-type`], "ip");
    assert.equal(a[`${p}scheme`], "internet-facing");
    assert.match(a[`${p}attributes`], /load_balancing\.cross_zone\.enabled=true/);
    assert.equal(a[`${p}healthcheck-port`], "15021");
    assert.equal(a[`${p}healthcheck-path`], "/healthz/ready");
    assert.equal(at(v, "service.type"), "LoadBalancer");
    const internal = gatewayValues(istioSchema.parse({ gateway: { scheme: "internal" } }), true);
    assert.equal((at(internal, "service.annotations") as Values)[`${p}scheme`], "internal");
  });

  it("exposes 80, 443 and 15021 with integer ports", () => {
    const ports = at(v, "service.ports") as { port: number; targetPort: number }[];
    assert.deepEqual(
      ports.map((x) => x.port).sort((a, b) => a - b),
      [80, 443, 15021],
    );
    for (const x of ports) assert.ok(Number.isInteger(x.port) && Number.isInteger(x.targetPort));
  });

  it("autoscales with a PDB and gives resources as strings (the chart schema rejects numbers)", () => {
    assert.deepEqual(v.autoscaling, {
      enabled: true,
      minReplicas: 2,
      maxReplicas: 5,
      targetCPUUtilizationPercentage: 80,
    });
    assert.deepEqual(v.podDisruptionBudget, { minAvailable: 1 });
    for (const kind of ["requests", "limits"]) {
      for (const r of ["cpu", "memory"]) {
        assert.equal(typeof at(v, `resources.${kind}.${r}`), "string", `${kind}.${r}`);
      }
    }
  });
});

describe("Istio images", () => {
  it("pulls every Istio image from docker.io/istio at the chart's version, never the retired registry", () => {
    for (const v of [istiodValues(sidecar), cniValues(sidecar), cniValues(ambient)]) {
      assert.equal(at(v, "global.hub"), "docker.io/istio");
      assert.equal(at(v, "global.tag"), ISTIO_VERSION);
    }
    // ztunnel's chart reads its own top-level hub and tag, not global.*.
    assert.deepEqual(ztunnelValues(ambient), { hub: "docker.io/istio", tag: ISTIO_VERSION });
    const mirror = istioSchema.parse({ hub: "registry.example.com:5000/istio" });
    assert.equal(at(istiodValues(mirror), "global.hub"), "registry.example.com:5000/istio");
    assert.equal(ztunnelValues(mirror).hub, "registry.example.com:5000/istio");
    // The gateway's image is `auto`, injected by istiod from its global.hub: nothing to set there.
    assert.equal(at(gatewayValues(sidecar, false), "global"), undefined);
  });
});

describe("chart keys", () => {
  const cases: [string, string, Values][] = [
    ["istio-base", "base", baseValues()],
    ["istiod", "istiod sidecar", istiodValues(sidecar)],
    ["istiod", "istiod ambient", istiodValues(ambient)],
    ["istio-cni", "cni sidecar", cniValues(sidecar)],
    ["istio-cni", "cni ambient", cniValues(ambient)],
    ["ztunnel", "ztunnel", ztunnelValues(ambient)],
    ["istio-gateway", "gateway", gatewayValues(sidecar, true)],
    [
      "aws-load-balancer-controller",
      "lb controller",
      lbControllerValues({ clusterName: "c", region: "r", vpcId: "v" }),
    ],
  ];
  for (const [file, label, values] of cases) {
    it(`sets only keys the ${label} chart reads`, () => {
      assert.deepEqual(unknownKeys(values, loadKeys(file)), []);
    });
  }

  it("catches the keys widely copied guides get wrong", () => {
    const istiod = loadKeys("istiod");
    assert.deepEqual(
      unknownKeys(
        {
          global: {
            proxy: { concurrency: 2 },
            podSecurityContext: {},
            proxy_init: { resources: {} },
          },
          meshNetworks: {},
          pilot: { resources: {} },
        },
        istiod,
      ),
      [
        "global.proxy.concurrency",
        "global.podSecurityContext",
        "global.proxy_init.resources",
        "meshNetworks",
        "pilot.resources",
      ],
    );
    assert.deepEqual(
      unknownKeys({ gateways: { "istio-ingressgateway": { x: 1 } } }, loadKeys("istio-gateway")),
      ["gateways.istio-ingressgateway.x"],
    );
  });
});
