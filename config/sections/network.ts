// Shared zod pieces for addresses: CIDRs and IP addresses, parsed with ipaddr.js (IPv4 and IPv6), host bits checked.
import ipaddr from "ipaddr.js";
import { z } from "zod";

export type IpFamily = "ipv4" | "ipv6";

export interface CidrRules {
  /** Families accepted. @default both */
  readonly families?: readonly IpFamily[];
  /** Prefix lengths accepted for IPv4, inclusive. @default [0, 32] */
  readonly ipv4Prefix?: readonly [number, number];
  /** Also accept a bare address (a /32 or /128). @default false */
  readonly allowAddress?: boolean;
}

/** Why `s` is not a CIDR these rules accept, or undefined when it is one. */
export function cidrProblem(s: string, rules: CidrRules = {}): string | undefined {
  const families = rules.families ?? ["ipv4", "ipv6"];
  const example = families.includes("ipv4") ? "10.30.0.0/16" : "2001:db8::/56";
  const kind =
    families.length === 2 ? "an IPv4 or IPv6" : `an ${families[0] === "ipv4" ? "IPv4" : "IPv6"}`;
  if (rules.allowAddress && !s.includes("/")) {
    const family = addressFamily(s);
    if (family && families.includes(family)) return undefined;
    return `must be ${kind} address or CIDR such as ${example}`;
  }
  const slash = s.indexOf("/");
  const addr = s.slice(0, slash);
  const prefixText = s.slice(slash + 1);
  const family = slash > 0 ? addressFamily(addr) : undefined;
  if (!family || !families.includes(family) || !/^(0|[1-9]\d{0,2})$/.test(prefixText)) {
    return `must be ${kind} CIDR such as ${example}`;
  }
  const prefix = Number(prefixText);
  const max = family === "ipv4" ? 32 : 128;
  if (prefix > max) return `prefix /${prefix} is longer than /${max}`;
  if (family === "ipv4" && rules.ipv4Prefix) {
    const [lo, hi] = rules.ipv4Prefix;
    if (prefix < lo || prefix > hi) return `must have a prefix from /${lo} to /${hi}`;
  }
  const network =
    family === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(s).toString()
      : ipaddr.IPv6.networkAddressFromCIDR(s).toNormalizedString();
  const given = family === "ipv4" ? addr : ipaddr.IPv6.parse(addr).toNormalizedString();
  if (network !== given) {
    const canonical = family === "ipv4" ? network : ipaddr.IPv6.parse(network).toString();
    return `has host bits set: the network is ${canonical}/${prefix}`;
  }
  return undefined;
}

/** The family of a plain address in its usual notation (four decimal parts for IPv4), if it is one. */
function addressFamily(s: string): IpFamily | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return "ipv4";
  // IPv4-mapped and zone-indexed forms are not CIDR material for AWS or Istio.
  if (!s.includes("%") && !s.includes(".") && ipaddr.IPv6.isValid(s)) return "ipv6";
  return undefined;
}

export function cidrFamily(s: string): IpFamily {
  return s.includes(":") ? "ipv6" : "ipv4";
}

/** A zod string checked by cidrProblem. */
export function cidrSchema(rules: CidrRules = {}) {
  return z.string().superRefine((v, ctx) => {
    const problem = cidrProblem(v, rules);
    if (problem) ctx.addIssue({ code: "custom", input: v, message: problem });
  });
}
