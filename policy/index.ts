// The CrossGuard entry point: `pulumi preview --policy-pack policy` (and the service's preview/up) load this file and serve the mesh policies.
import { PolicyPack } from "@pulumi/policy";
import { crossGuardPolicies } from "./crossguard";

new PolicyPack("meshlift-mesh-invariants", {
  description: "The mesh invariants of an App Mesh -> Istio migration, as mandatory policies",
  enforcementLevel: "mandatory",
  policies: crossGuardPolicies(),
});
