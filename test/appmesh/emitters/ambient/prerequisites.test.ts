// ambientPrerequisites: the nodes under the pods (Fargate, security groups for pods) as the ambient target reads them from what discover exports.
import * as assert from "node:assert/strict";
import { convert } from "../../../../appmesh";
import { awsNodeDaemonSet } from "../../../support/discover-cluster";
import { fixture } from "../../helpers";

describe("ambientPrerequisites: the nodes under the pods, from what discover exports", () => {
  const pod = (name: string, extra: Record<string, unknown>) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "shop" },
      ...extra,
    });
  const sgp = JSON.stringify({
    apiVersion: "vpcresources.k8s.aws/v1beta1",
    kind: "SecurityGroupPolicy",
    metadata: { name: "db-access", namespace: "shop" },
    spec: {
      podSelector: { matchLabels: { app: "cart" } },
      securityGroups: { groupIds: ["sg-1"] },
    },
  });
  const awsNode = (mode?: string) =>
    JSON.stringify(
      awsNodeDaemonSet([
        { name: "ENABLE_POD_ENI", value: "true" },
        ...(mode ? [{ name: "POD_SECURITY_GROUP_ENFORCING_MODE", value: mode }] : []),
      ]),
    );
  const run = (extra: string[], target: "ambient" | "istio" = "ambient") => {
    const base = fixture("shop.yaml");
    return convert([base, ...extra.map((content, i) => ({ path: `facts-${i}.yaml`, content }))], {
      target,
    });
  };
  const blockers = (r: ReturnType<typeof run>) =>
    r.findings.filter((f) => f.severity === "blocker").map((f) => `${f.source} ${f.field}`);

  it("makes each pod on Fargate a blocker, naming the pod", () => {
    const r = run([
      pod("cart-6f9", { spec: { schedulerName: "fargate-scheduler" } }),
      pod("web-1", {
        metadata: {
          name: "web-1",
          namespace: "shop",
          labels: { "eks.amazonaws.com/fargate-profile": "fp" },
        },
      }),
      pod("ec2-1", { spec: { schedulerName: "default-scheduler" } }),
    ]);
    assert.deepEqual(blockers(r), [
      "Pod shop/cart-6f9 spec.schedulerName",
      "Pod shop/web-1 spec.schedulerName",
    ]);
    assert.match(r.findings[0].reason, /EKS Fargate.*neither ztunnel nor the Istio CNI/);
    // Sidecar mode is not concerned: no blocker there.
    assert.deepEqual(
      blockers(run([pod("cart-6f9", { spec: { schedulerName: "fargate-scheduler" } })], "istio")),
      [],
    );
  });

  it("blocks security groups for pods unless aws-node runs them in standard mode", () => {
    for (const [mode, expected] of [
      [undefined, /default strict mode/],
      ["strict", /POD_SECURITY_GROUP_ENFORCING_MODE="strict"/],
    ] as const) {
      const r = run([sgp, awsNode(mode)]);
      assert.deepEqual(blockers(r), ["SecurityGroupPolicy shop/db-access spec"]);
      assert.match(r.findings[0].reason, expected);
      assert.match(r.findings[0].reason, /set POD_SECURITY_GROUP_ENFORCING_MODE=standard/);
    }
    assert.deepEqual(blockers(run([sgp, awsNode("standard")])), []);
    // Without aws-node in the input the mode is unknown: a warning that says what to check.
    const unknown = run([sgp]);
    assert.deepEqual(blockers(unknown), []);
    assert.ok(
      unknown.findings.some(
        (f) => f.severity === "warning" && f.source === "SecurityGroupPolicy shop/db-access",
      ),
    );
    // No SecurityGroupPolicy: the mode does not matter.
    assert.deepEqual(blockers(run([awsNode()])), []);
  });
});
