// CloudFormation templates into App Mesh API documents: Ref, Sub, Join, GetAtt, and what only deployment knows.
import * as assert from "node:assert/strict";
import { cfnToApiDocuments } from "../../../appmesh/read/cloudformation";

describe("CloudFormation", () => {
  it("resolves parameters, Sub, Join and GetAtt, and reports what it cannot", () => {
    const { docs, findings } = cfnToApiDocuments({
      Parameters: { P: { Type: "String" } },
      Resources: {
        N: {
          Type: "AWS::AppMesh::VirtualNode",
          Properties: {
            MeshName: "m",
            VirtualNodeName: { "Fn::Sub": "${P}-node" },
            Spec: { ServiceDiscovery: { DNS: { Hostname: { "Fn::GetAtt": ["LB", "DNSName"] } } } },
          },
        },
        X: { Type: "AWS::EC2::VPC", Properties: {} },
      },
    });
    assert.equal(docs.length, 1);
    assert.equal(docs[0].kind, "VirtualNode");
    assert.equal(docs[0].body.virtualNodeName, "P-node");
    assert.deepEqual(docs[0].body.spec, { serviceDiscovery: { dns: { hostname: "LB.DNSName" } } });
    assert.equal(findings.length, 2, JSON.stringify(findings));
  });
});
