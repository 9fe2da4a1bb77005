// The Service annotations that get an NLB with IP targets from the AWS Load Balancer Controller.
import * as assert from "node:assert/strict";
import { nlbServiceAnnotations } from "../../builders/nlb";

describe("nlb", () => {
  it("asks for an external NLB with IP targets and cross-zone as an attribute, in the given scheme", () => {
    assert.deepEqual(nlbServiceAnnotations("internet-facing"), {
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
      "service.beta.kubernetes.io/aws-load-balancer-attributes":
        "load_balancing.cross_zone.enabled=true",
    });
    assert.equal(
      nlbServiceAnnotations("internal")["service.beta.kubernetes.io/aws-load-balancer-scheme"],
      "internal",
    );
  });

  it("never sets the deprecated cross-zone annotation", () => {
    assert.ok(
      !(
        "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled" in
        nlbServiceAnnotations("internal")
      ),
    );
  });
});
