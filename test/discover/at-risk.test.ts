// The at-risk report: owners through ReplicaSets, rollouts, HPAs, draining nodes, the injection label and the printed command.
import * as assert from "node:assert/strict";
import {
  atRisk,
  drainReason,
  injectorLabel,
  rolloutInProgress,
  shellQuote,
  stopInjectionCommand,
} from "../../discover/at-risk";
import { Wire } from "../../discover/model";
import { pod, replicaSet, snapshot } from "../support/discover-cluster";

const deployment = (
  name: string,
  status: Record<string, unknown>,
  spec: Record<string, unknown> = {},
  generation = 1,
): Wire => ({
  kind: "Deployment",
  metadata: { name, namespace: "a", generation },
  spec: { replicas: 2, ...spec },
  status: { observedGeneration: generation, updatedReplicas: 2, ...status },
});

describe("discover at-risk report", () => {
  it("a rollout is in progress while the controller has not observed the spec, or replicas are not all updated", () => {
    assert.equal(rolloutInProgress(deployment("d", {})), undefined);
    assert.match(
      rolloutInProgress(deployment("d", { observedGeneration: 1 }, {}, 2)) ?? "",
      /new spec not yet observed/,
    );
    assert.match(
      rolloutInProgress(deployment("d", { updatedReplicas: 0 })) ?? "",
      /0 of 2 replicas updated/,
    );
    assert.match(
      rolloutInProgress(
        deployment("d", { conditions: [{ type: "Progressing", reason: "ReplicaSetUpdated" }] }),
      ) ?? "",
      /rollout in progress/,
    );
    assert.equal(
      rolloutInProgress(deployment("d", { updatedReplicas: 0 }, { paused: true })),
      undefined,
      "paused rollouts restart nothing",
    );
  });

  it("nodes being drained: cordoned, or tainted by the autoscalers", () => {
    assert.equal(drainReason({ spec: { unschedulable: true } }), "cordoned");
    assert.equal(
      drainReason({ spec: { taints: [{ key: "karpenter.sh/disrupted", effect: "NoSchedule" }] } }),
      "tainted karpenter.sh/disrupted",
    );
    assert.equal(
      drainReason({ spec: { taints: [{ key: "ToBeDeletedByClusterAutoscaler" }] } }),
      "tainted ToBeDeletedByClusterAutoscaler",
    );
    assert.equal(drainReason({ spec: { taints: [{ key: "dedicated" }] } }), undefined);
  });

  it("groups Envoy pods by owner (pod -> ReplicaSet -> Deployment), bare pods and StatefulSets, most urgent first", () => {
    const sts: Wire = {
      ...pod("b", "db-0", { envoy: true }),
      metadata: {
        name: "db-0",
        namespace: "b",
        ownerReferences: [{ kind: "StatefulSet", name: "db", controller: true }],
      },
    };
    const r = atRisk(
      snapshot({
        pods: [
          pod("a", "web-1", { rs: "web-1234", envoy: true }),
          pod("a", "web-2", { rs: "web-1234", envoy: true }),
          pod("a", "solo", { envoy: true }),
          sts,
          pod("c", "quiet", { rs: "orphan-rs", envoy: true }),
        ],
        reads: {
          a: {
            replicaSets: [replicaSet("a", "web-1234", "web")],
            deployments: [deployment("web", {})],
          },
          b: {
            hpas: [
              {
                metadata: { name: "db" },
                spec: { scaleTargetRef: { kind: "StatefulSet", name: "db" }, maxReplicas: 5 },
              },
            ],
          },
        },
      }),
    );
    assert.deepEqual(
      r.map((x) => [x.namespace, x.pods, x.restartSoon]),
      [
        ["b", 1, true],
        ["a", 3, false],
        ["c", 1, false],
      ],
    );
    assert.deepEqual(
      r[1].owners.map((o) => `${o.kind} ${o.name} ${o.pods}`),
      ["Deployment web 2", "Pod solo 1"],
    );
    assert.match(r[0].owners[0].restartSoon[0], /HPA db scales it between 1 and 5/);
    assert.deepEqual(
      r[2].owners.map((o) => `${o.kind} ${o.name}`),
      ["ReplicaSet orphan-rs"],
      "a ReplicaSet not read stays the owner",
    );
  });

  it("the stop-injection command uses the injector's label and quotes values from the kubeconfig", () => {
    const webhook: Wire = {
      kind: "MutatingWebhookConfiguration",
      metadata: { name: "appmesh-controller-mutating-webhook-configuration" },
      webhooks: [
        {
          name: "mpod.appmesh.k8s.aws",
          namespaceSelector: { matchLabels: { "example.com/appmesh": "enabled" } },
        },
      ],
    };
    assert.equal(injectorLabel([webhook]), "example.com/appmesh");
    assert.equal(injectorLabel([]), "appmesh.k8s.aws/sidecarInjectorWebhook");
    assert.equal(
      stopInjectionCommand(
        "arn:aws:eks:eu-west-1:111122223333:cluster/prod",
        "shop",
        "appmesh.k8s.aws/sidecarInjectorWebhook",
      ),
      "kubectl --context arn:aws:eks:eu-west-1:111122223333:cluster/prod label namespace shop appmesh.k8s.aws/sidecarInjectorWebhook=disabled --overwrite",
    );
    assert.equal(
      stopInjectionCommand("it's $(rm -rf)\n", "shop", "l"),
      `kubectl --context 'it'\\''s $(rm -rf)\n' label namespace shop l=disabled --overwrite`,
    );
    assert.equal(shellQuote("a b"), "'a b'");
  });
});
