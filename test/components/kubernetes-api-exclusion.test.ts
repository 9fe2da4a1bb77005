// The Kubernetes API Service's address, kept out of sidecar interception: derived from the cluster's service CIDR in both cluster modes.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesApiExclusionValues } from "../../builders/istio-mesh";
import { EksCluster } from "../../components/eks-cluster";
import { parseConfig } from "../../config/load";
import { loadKeys, unknownKeys } from "../support/chart-keys";
import { named, plan } from "../support/plan";

function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
  return (o as unknown as { promise(): Promise<T> }).promise();
}

const flat = (cluster: unknown) => ({
  "aws:region": "eu-west-1",
  "meshlift:environment": "dev",
  "meshlift:cluster": JSON.stringify(cluster),
});

/** EksCluster under mocks where EKS reports `net` as the cluster's service network. */
async function rangeOf(cluster: unknown, net: Record<string, string>): Promise<string> {
  await pulumi.runtime.setMocks(
    {
      newResource(a) {
        const extra =
          a.type === "eks:index:Cluster"
            ? { eksCluster: { name: "c", version: "1.36", kubernetesNetworkConfig: net } }
            : {};
        return { id: `${a.name}-id`, state: { ...a.inputs, ...extra } };
      },
      call(a) {
        if (a.token === "aws:eks/getCluster:getCluster") {
          return {
            name: "c",
            version: "1.36",
            identities: [{ oidcs: [{ issuer: "https://oidc.example" }] }],
            vpcConfig: {},
            certificateAuthorities: [{ data: "" }],
            kubernetesNetworkConfigs: [net],
          };
        }
        return { arn: "arn" };
      },
    },
    "meshlift",
    "t",
    false,
  );
  const c = parseConfig("t", flat(cluster));
  const eks = new EksCluster("cluster", { cluster: c.cluster, region: "eu-west-1" });
  return promiseOf(eks.kubernetesApiRange);
}

describe("Kubernetes API exclusion", () => {
  it("reads the adopted cluster's service CIDR", async () => {
    const r = await rangeOf(
      { mode: "existing", name: "legacy" },
      { serviceIpv4Cidr: "10.100.0.0/16" },
    );
    assert.equal(r, "10.100.0.1/32");
  });

  it("reads the service CIDR EKS gave the cluster meshlift created", async () => {
    const r = await rangeOf(
      { mode: "create" },
      { ipFamily: "ipv4", serviceIpv4Cidr: "172.20.0.0/16" },
    );
    assert.equal(r, "172.20.0.1/32");
  });

  it("sets it mesh-wide in sidecar mode only, on a key the istiod chart reads", () => {
    const v = kubernetesApiExclusionValues("sidecar", "172.20.0.1/32");
    assert.deepEqual(v, { global: { proxy: { excludeIPRanges: "172.20.0.1/32" } } });
    assert.deepEqual(unknownKeys(v, loadKeys("istiod")), []);
    assert.deepEqual(kubernetesApiExclusionValues("ambient", "172.20.0.1/32"), {});
  });

  it("is in istiod's values of the offline plan, computed until EKS reports the CIDR", async () => {
    const doc = await plan({ stack: "dev", phase: "workloads", deployedPhase: "parallel" });
    const values = named(doc, "istio-istiod").inputs.values as {
      global: { proxy: Record<string, unknown> };
    };
    assert.equal(values.global.proxy.excludeIPRanges, "<computed>");
    assert.equal(values.global.proxy.autoInject, "enabled");
  });
});
