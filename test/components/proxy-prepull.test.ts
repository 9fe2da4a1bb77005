// ProxyPrePull on its own under mocks: one DaemonSet pulling the proxy image of the hub and version given, after the namespace, on the cluster's provider; an empty hub is refused.
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PREPULL_NAME, prePullDaemonSet } from "../../builders/proxy-prepull";
import { ProxyPrePull, ProxyPrePullArgs } from "../../components/proxy-prepull";
import { ISTIO_VERSION } from "../../config/versions";
import { buildUnderMocks, ofType, optionsSeen, promiseOf } from "../support/component-mocks";

const DS = "kubernetes:apps/v1:DaemonSet";

describe("ProxyPrePull", () => {
  async function build(args: Partial<ProxyPrePullArgs> = {}) {
    const opts = optionsSeen();
    let namespace: k8s.core.v1.Namespace | undefined;
    let provider: k8s.Provider | undefined;
    const built = await buildUnderMocks(
      () => {
        provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
        namespace = new k8s.core.v1.Namespace(
          "istio-system",
          { metadata: { name: "istio-system" } },
          { provider },
        );
        return new ProxyPrePull(
          "prepull",
          { hub: "docker.io/istio", namespace, ...args },
          { providers: [provider], transformations: opts.transformations },
        );
      },
      { settle: (c) => [c.daemonSet.urn] },
    );
    return { ...built, seen: opts.seen, namespace: namespace!, provider: provider! };
  }

  it("registers one DaemonSet from the builder, with the pinned version by default", async () => {
    const { component, registered } = await build();
    const [ds, ...rest] = ofType(registered, DS);
    assert.deepEqual(rest, []);
    assert.equal(ds.name, "prepull-daemonset");
    assert.deepEqual(ds.inputs, prePullDaemonSet("docker.io/istio"));
    assert.equal((ds.inputs.metadata as { name: string }).name, PREPULL_NAME);
    assert.equal(component.image, `docker.io/istio/proxyv2:${ISTIO_VERSION}`);
    const containers = (
      ds.inputs.spec as { template: { spec: { containers: { image: string }[] } } }
    ).template.spec.containers;
    assert.deepEqual(
      containers.map((c) => c.image),
      [component.image],
    );
  });

  it("follows a mirror hub and an explicit version", async () => {
    const { component, registered } = await build({
      hub: "registry.example.com:5000/istio",
      version: "1.29.2",
    });
    assert.equal(component.image, "registry.example.com:5000/istio/proxyv2:1.29.2");
    assert.deepEqual(
      ofType(registered, DS)[0].inputs,
      prePullDaemonSet("registry.example.com:5000/istio", "1.29.2"),
    );
  });

  it("is the DaemonSet's parent, waits for the namespace and runs on the cluster's provider", async () => {
    const { component, registered, seen, namespace, provider } = await build();
    const opts = seen.get("prepull-daemonset");
    assert.equal(opts?.parent, component);
    assert.deepEqual(opts?.dependsOn, [namespace]);
    const urn = await promiseOf(component.daemonSet.urn);
    assert.match(urn, /::meshlift:workloads:ProxyPrePull\$kubernetes:apps\/v1:DaemonSet::/);
    const [ds] = ofType(registered, DS);
    assert.equal(ds.provider, `${await promiseOf(provider.urn)}::k8s-id`);
  });

  it("refuses an empty hub before registering anything under it", async () => {
    const opts = optionsSeen();
    await pulumi.runtime.setMocks({
      newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs as Record<string, unknown> }),
      call: () => ({}),
    });
    const namespace = new k8s.core.v1.Namespace("ns", {});
    assert.throws(
      () =>
        new ProxyPrePull(
          "prepull",
          { hub: "", namespace },
          { transformations: opts.transformations },
        ),
      (e: unknown) =>
        e instanceof pulumi.ResourceError && /ProxyPrePull prepull: hub is empty/.test(e.message),
    );
    assert.deepEqual([...opts.seen.keys()], ["prepull"], "nothing was constructed under it");
  });
});
