// Pods as the Kubernetes API returns them, with the App Mesh Envoy, the Istio proxy (container or native sidecar) or both, for verify's tests.
import { KubeObject } from "./kube-api-server";

export const ENVOY =
  "840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.29.6.0-prod";
export const PROXY = "docker.io/istio/proxyv2:1.30.3";

export interface PodOpts {
  envoy?: boolean;
  istio?: "container" | "native";
  ready?: boolean;
  waiting?: string;
  phase?: string;
  optOut?: boolean;
}

/** A pod as the API server returns it: app container, optional App Mesh Envoy and Istio proxy, statuses. */
export function pod(ns: string, name: string, o: PodOpts = {}): KubeObject {
  const app = { name: "app", image: "registry.example.com/app:1" };
  const envoy = { name: "envoy", image: ENVOY };
  const proxy = {
    name: "istio-proxy",
    image: PROXY,
    ...(o.istio === "native" ? { restartPolicy: "Always" } : {}),
  };
  const status = (n: string, ready: boolean) => ({
    name: n,
    ready,
    restartCount: 0,
    image: n === "istio-proxy" ? PROXY : "x",
    imageID: "",
    state: o.waiting && n === "istio-proxy" ? { waiting: { reason: o.waiting } } : { running: {} },
  });
  const proxyReady = o.ready ?? true;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: ns,
      ...(o.optOut ? { annotations: { "sidecar.istio.io/inject": "false" } } : {}),
    },
    spec: {
      containers: [app, ...(o.envoy ? [envoy] : []), ...(o.istio === "container" ? [proxy] : [])],
      ...(o.istio === "native" ? { initContainers: [proxy] } : {}),
    },
    status: {
      phase: o.phase ?? "Running",
      containerStatuses: [
        status("app", true),
        ...(o.envoy ? [status("envoy", true)] : []),
        ...(o.istio === "container" ? [status("istio-proxy", proxyReady)] : []),
      ],
      ...(o.istio === "native"
        ? { initContainerStatuses: [status("istio-proxy", proxyReady)] }
        : {}),
    },
  };
}
