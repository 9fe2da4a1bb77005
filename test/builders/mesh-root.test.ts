// The mesh root CA's certificate request and how validity years become hours.
import * as assert from "node:assert/strict";
import { caCertOptions, HOURS_PER_YEAR, rootCaSpec, validityHours } from "../../builders/mesh-root";
import { multiCluster } from "../support/multicluster";

describe("mesh root", () => {
  it("refuses a non-integer or non-positive validity", () => {
    assert.throws(() => validityHours(0), /positive integer \(given: 0\)/);
    assert.throws(() => validityHours(1.5), /given: 1.5/);
  });

  it("makes the root a CA of the mesh, valid for rootValidityYears whole years", () => {
    assert.deepEqual(rootCaSpec(multiCluster()), {
      subject: { commonName: "mesh-prod root CA", organization: "meshlift" },
      rsaBits: 4096,
      validityPeriodHours: 10 * HOURS_PER_YEAR,
      isCaCertificate: true,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      dnsNames: [],
    });
    assert.equal(validityHours(3), 3 * 365 * 24);
  });

  it("hands @pulumi/tls the CA's uses, validity and a subject key id", () => {
    const spec = rootCaSpec(multiCluster({ rootValidityYears: 20 }));
    assert.deepEqual(caCertOptions(spec), {
      isCaCertificate: true,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      validityPeriodHours: 20 * HOURS_PER_YEAR,
      setSubjectKeyId: true,
    });
  });
});
