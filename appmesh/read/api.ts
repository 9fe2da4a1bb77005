// AWS App Mesh API shapes (CLI --cli-input-json, describe-* output) -> the CRD spellings the schema checks.
import { k8sName } from "../names";
import { AppMeshKind } from "./schema";

export const KIND_BY_API_KEY: Readonly<Record<string, AppMeshKind | "Route">> = {
  virtualNodeName: "VirtualNode",
  virtualServiceName: "VirtualService",
  virtualRouterName: "VirtualRouter",
  virtualGatewayName: "VirtualGateway",
};

export const DESCRIBE_KEYS: Readonly<Record<string, AppMeshKind | "Route">> = {
  mesh: "Mesh",
  virtualNode: "VirtualNode",
  virtualService: "VirtualService",
  virtualRouter: "VirtualRouter",
  route: "Route",
  virtualGateway: "VirtualGateway",
  gatewayRoute: "GatewayRoute",
};

export const NAME_KEYS: Readonly<Record<AppMeshKind | "Route", string>> = {
  Mesh: "meshName",
  VirtualNode: "virtualNodeName",
  VirtualService: "virtualServiceName",
  VirtualRouter: "virtualRouterName",
  VirtualGateway: "virtualGatewayName",
  GatewayRoute: "gatewayRouteName",
  BackendGroup: "backendGroupName",
  Route: "routeName",
};

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Sets an own property, so that a `__proto__` key in the input stays data and never becomes a prototype. */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Label-like maps: string values only (YAML may type `version: 1` or `enabled: true` as scalars). */
export function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === "string" || typeof x === "number" || typeof x === "boolean")
      setOwn(out, k, String(x));
  }
  return out;
}

const RENAMED: Readonly<Record<string, string>> = {
  virtualNodeArn: "virtualNodeARN",
  virtualServiceArn: "virtualServiceARN",
  virtualRouterArn: "virtualRouterARN",
  certificateArn: "certificateARN",
  certificateAuthorityArns: "certificateAuthorityARNs",
};
const REFERENCES: Readonly<Record<string, string>> = {
  virtualNode: "virtualNodeRef",
  virtualNodeName: "virtualNodeRef",
  virtualRouterName: "virtualRouterRef",
  virtualServiceName: "virtualServiceRef",
};

/** Rewrites AWS API spellings into the CRD ones (names become references, Arn becomes ARN). */
export function apiSpecToCrd(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(apiSpecToCrd);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // Object.hasOwn: an input key such as "constructor" must not find the maps' inherited members.
    if (Object.hasOwn(REFERENCES, k) && typeof v === "string")
      setOwn(out, REFERENCES[k], { name: k8sName(v) });
    else if (Object.hasOwn(RENAMED, k)) setOwn(out, RENAMED[k], v);
    else setOwn(out, k, apiSpecToCrd(v));
  }
  return out;
}
