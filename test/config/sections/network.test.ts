// CIDRs and addresses in config: IPv4 and IPv6, prefix limits, host bits, each refusal saying what is allowed.
import * as assert from "node:assert/strict";
import { cidrFamily, cidrProblem, cidrSchema } from "../../../config/sections/network";

describe("config network", () => {
  it("accepts network CIDRs of either family", () => {
    for (const ok of ["10.30.0.0/16", "0.0.0.0/0", "2001:db8::/56", "fd00::/8", "10.0.0.1/32"])
      assert.equal(cidrProblem(ok), undefined, ok);
  });

  it("says what a CIDR must be, per family allowed", () => {
    assert.equal(cidrProblem("10.30.0.0"), "must be an IPv4 or IPv6 CIDR such as 10.30.0.0/16");
    assert.equal(cidrProblem("300.1.0.0/16"), "must be an IPv4 or IPv6 CIDR such as 10.30.0.0/16");
    assert.equal(cidrProblem("10.0.0.0/08"), "must be an IPv4 or IPv6 CIDR such as 10.30.0.0/16");
    assert.equal(
      cidrProblem("2001:db8::/56", { families: ["ipv4"] }),
      "must be an IPv4 CIDR such as 10.30.0.0/16",
    );
    assert.equal(
      cidrProblem("10.0.0.0/16", { families: ["ipv6"] }),
      "must be an IPv6 CIDR such as 2001:db8::/56",
    );
    assert.equal(
      cidrProblem("::ffff:10.0.0.0/104"),
      "must be an IPv4 or IPv6 CIDR such as 10.30.0.0/16",
    );
  });

  it("refuses a prefix too long, outside the allowed range, or with host bits set", () => {
    assert.equal(cidrProblem("10.0.0.0/33"), "prefix /33 is longer than /32");
    assert.equal(cidrProblem("2001:db8::/129"), "prefix /129 is longer than /128");
    assert.equal(
      cidrProblem("10.0.0.0/8", { ipv4Prefix: [16, 28] }),
      "must have a prefix from /16 to /28",
    );
    assert.equal(cidrProblem("10.30.1.0/16"), "has host bits set: the network is 10.30.0.0/16");
    assert.equal(cidrProblem("2001:db8::1/56"), "has host bits set: the network is 2001:db8::/56");
  });

  it("takes a bare address only when asked to", () => {
    assert.equal(cidrProblem("10.0.0.1", { allowAddress: true }), undefined);
    assert.equal(cidrProblem("2001:db8::1", { allowAddress: true }), undefined);
    assert.equal(
      cidrProblem("not-an-ip", { allowAddress: true }),
      "must be an IPv4 or IPv6 address or CIDR such as 10.30.0.0/16",
    );
  });

  it("tells the family apart, and checks as a zod schema with the same message", () => {
    assert.equal(cidrFamily("fd00::/8"), "ipv6");
    assert.equal(cidrFamily("10.0.0.0/8"), "ipv4");
    const r = cidrSchema().safeParse("10.30.1.0/16");
    assert.equal(r.success, false);
    assert.equal(r.error?.issues[0].message, "has host bits set: the network is 10.30.0.0/16");
    assert.equal(cidrSchema().safeParse("10.30.0.0/16").success, true);
  });
});
