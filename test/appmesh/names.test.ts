// App Mesh names into Kubernetes names, and Service names in their short and long forms.
import * as assert from "node:assert/strict";
import { clusterHost, k8sName } from "../../appmesh/names";

describe("names and hosts", () => {
  it("turns App Mesh names into DNS-1123 names", () => {
    assert.equal(k8sName("ColorTellerWhite"), "colortellerwhite");
    assert.equal(k8sName("${ProjectName}-color_node"), "projectname-color-node");
    assert.equal(k8sName("gw-*.example.com"), "gw.example.com");
    assert.equal(k8sName("***"), "unnamed");
  });

  it("recognises Kubernetes Service names in their short and long forms", () => {
    const known = new Set(["shop"]);
    assert.equal(clusterHost("cart", "shop", known)?.host, "cart.shop.svc.cluster.local");
    assert.equal(clusterHost("cart.shop", "x", known)?.host, "cart.shop.svc.cluster.local");
    assert.equal(clusterHost("cart.other.svc", "x", known)?.host, "cart.other.svc.cluster.local");
    assert.equal(clusterHost("api.example.com", "x", known), undefined);
    assert.equal(clusterHost("cart.unknownns", "x", known), undefined);
  });
});
