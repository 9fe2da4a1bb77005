// The Kubernetes documents beside App Mesh ones: node facts for the ambient precheck, and Service ports as a cluster accepts them.
import * as assert from "node:assert/strict";
import {
  FARGATE_PROFILE_LABEL,
  readNodeFact,
  servicePorts,
} from "../../../appmesh/read/kubernetes";
import type { NodeFacts } from "../../../appmesh/read/types";

const at = (name: string) => ({ name, namespace: "shop", origin: { file: "a.yaml", document: 0 } });
const facts = (): NodeFacts => ({ fargatePods: [], securityGroupPolicies: [] });

describe("appmesh Kubernetes documents", () => {
  it("records Fargate pods by scheduler or profile label, and nothing for other pods", () => {
    const f = facts();
    assert.equal(
      readNodeFact(
        f,
        { apiVersion: "v1", kind: "Pod", spec: { schedulerName: "fargate-scheduler" } },
        at("a"),
      ),
      true,
    );
    assert.equal(
      readNodeFact(
        f,
        { apiVersion: "v1", kind: "Pod", metadata: { labels: { [FARGATE_PROFILE_LABEL]: "fp" } } },
        at("b"),
      ),
      true,
    );
    assert.equal(readNodeFact(f, { apiVersion: "v1", kind: "Pod", spec: {} }, at("c")), false);
    assert.deepEqual(
      f.fargatePods.map((p) => p.name),
      ["a", "b"],
    );
  });

  it("records SecurityGroupPolicies and aws-node's enforcing mode", () => {
    const f = facts();
    assert.equal(
      readNodeFact(
        f,
        { apiVersion: "vpcresources.k8s.aws/v1beta1", kind: "SecurityGroupPolicy" },
        at("sgp"),
      ),
      true,
    );
    const ds = {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "aws-node",
                env: [{ name: "POD_SECURITY_GROUP_ENFORCING_MODE", value: "standard" }],
              },
            ],
          },
        },
      },
    };
    assert.equal(
      readNodeFact(f, ds, at("aws-node")),
      false,
      "the DaemonSet is read on as a document",
    );
    assert.deepEqual(
      f.securityGroupPolicies.map((p) => p.name),
      ["sgp"],
    );
    assert.equal(f.awsNode?.podSecurityGroupEnforcingMode, "standard");
    const other = facts();
    readNodeFact(other, ds, at("not-aws-node"));
    assert.equal(other.awsNode, undefined);
  });

  it("keeps the Service port fields Kubernetes accepts and reports the others", () => {
    const bad: [string, unknown][] = [];
    const ports = servicePorts(
      [
        {
          port: 80,
          targetPort: "http",
          name: "http",
          appProtocol: "kubernetes.io/h2c",
          protocol: "TCP",
        },
        { port: 0 },
        { port: 8080, targetPort: 70000, name: "Bad_Name", appProtocol: "-x", protocol: "HTTP" },
      ],
      (field, value) => bad.push([field, value]),
    );
    assert.deepEqual(ports, [
      {
        port: 80,
        targetPort: "http",
        name: "http",
        appProtocol: "kubernetes.io/h2c",
        protocol: "TCP",
      },
      { port: 8080 },
    ]);
    assert.deepEqual(bad, [
      ["port", 0],
      ["targetPort", 70000],
      ["name", "Bad_Name"],
      ["appProtocol", "-x"],
      ["protocol", "HTTP"],
    ]);
  });
});
