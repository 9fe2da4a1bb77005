// The reads discover makes, as data: the ClusterRole they need and how resources are named in messages.
import * as assert from "node:assert/strict";
import * as YAML from "yaml";
import { clusterRoleYaml, qualifiedResource, READS } from "../../discover/reads";

describe("discover reads", () => {
  it("the ClusterRole grants get and list on every resource discover reads, and nothing else", () => {
    const role = clusterRoleYaml();
    assert.match(role, /kind: ClusterRole/);
    assert.match(
      role,
      /apiGroups: \[appmesh\.k8s\.aws\]\n\s+resources: \[backendgroups, gatewayroutes, meshes, virtualgateways, virtualnodes, virtualrouters, virtualservices\]/,
    );
    assert.doesNotMatch(role, /secrets|configmaps|create|update|patch|delete|watch|\*/);
  });

  it("has one rule per API group, covering each read once, under the name given", () => {
    const role = YAML.parse(clusterRoleYaml("custom")) as {
      metadata: { name: string };
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    assert.equal(role.metadata.name, "custom");
    const groups = role.rules.map((r) => r.apiGroups[0]);
    assert.equal(new Set(groups).size, groups.length);
    const granted = role.rules.flatMap((r) => r.resources.map((x) => `${r.apiGroups[0]}/${x}`));
    assert.deepEqual(granted.sort(), READS.map((r) => `${r.group}/${r.resource}`).sort());
    assert.match(clusterRoleYaml(), /name: meshlift-discover/);
  });

  it("names core resources bare and others with their group", () => {
    assert.equal(qualifiedResource("", "pods"), "pods");
    assert.equal(qualifiedResource("apps", "deployments"), "deployments.apps");
    assert.equal(qualifiedResource("appmesh.k8s.aws", "meshes"), "meshes.appmesh.k8s.aws");
  });
});
