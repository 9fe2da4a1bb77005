// Hostile input to the config loader (stack files, `--set`, the service's config): each case of issue 17 and 11.5.
import * as assert from "node:assert/strict";
import { ConfigError } from "../../config/errors";
import { parseConfig } from "../../config/load";

const base = {
  "aws:region": "eu-west-1",
  "meshlift:environment": "dev",
  "meshlift:cluster": JSON.stringify({ mode: "create" }),
};

function problemsOf(
  flat: Record<string, string>,
): { key: string; message: string; given?: unknown }[] {
  try {
    parseConfig("t", flat);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.problems.map((p) => ({ key: p.key, message: p.message, given: p.given }));
  }
  assert.fail("expected a ConfigError");
}

function messageOf(flat: Record<string, string>): string {
  try {
    parseConfig("t", flat);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.message;
  }
  assert.fail("expected a ConfigError");
}

/**
 * Runs `fn`, then fails if it added a key to Object.prototype (which it removes again, so that one
 * polluting case cannot make the others fail).
 */
function unpolluted(fn: () => void): () => void {
  return () => {
    const before = new Set(Object.getOwnPropertyNames(Object.prototype));
    try {
      fn();
    } finally {
      const added = Object.getOwnPropertyNames(Object.prototype).filter((k) => !before.has(k));
      for (const k of added) delete (Object.prototype as Record<string, unknown>)[k];
      assert.deepEqual(added, [], `Object.prototype gained ${added.join(", ")}`);
    }
  };
}

// A throwaway RSA key shape: the loader must never echo anything that looks like this.
const PEM =
  "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";

describe("hostile config input", () => {
  describe("item 1: prototype pollution through dotted keys", () => {
    const cases: [string, string][] = [
      ["meshlift:__proto__.polluted", "1"],
      ["meshlift:cluster.__proto__.polluted", "1"],
      ["meshlift:constructor.prototype.polluted", "1"],
      ["meshlift:__proto__", JSON.stringify({ polluted: 1 })],
      ["meshlift:__proto__.authorization", "Bearer operate-token-0123456789abcdef"],
    ];
    for (const [key, value] of cases) {
      it(
        `refuses ${key} as a config error naming the key, and writes nothing`,
        unpolluted(() => {
          const problems = problemsOf({ ...base, [key]: value });
          assert.ok(
            problems.some(
              (p) => p.key === key && /__proto__|prototype|constructor/.test(p.message),
            ),
            JSON.stringify(problems),
          );
        }),
      );
    }

    it(
      "refuses __proto__ and constructor keys inside a JSON value",
      unpolluted(() => {
        const problems = problemsOf({
          ...base,
          "meshlift:cluster": '{"mode":"create","__proto__":{"polluted":1}}',
          "meshlift:istio": '{"constructor":{"prototype":{"polluted":1}}}',
        });
        assert.ok(
          problems.some((p) => p.key === "meshlift:cluster.__proto__"),
          JSON.stringify(problems),
        );
        assert.ok(
          problems.some((p) => p.key === "meshlift:istio.constructor"),
          JSON.stringify(problems),
        );
      }),
    );

    it(
      "still parses a good config after a polluting one",
      unpolluted(() => {
        assert.throws(() => parseConfig("t", { ...base, "meshlift:__proto__.mode": "existing" }));
        assert.equal(parseConfig("t", base).cluster.mode, "create");
      }),
    );
  });

  describe("deep nesting", () => {
    it("refuses a value nested 5,000 levels deep with one problem", () => {
      const deep = "[".repeat(5000) + "]".repeat(5000);
      const problems = problemsOf({ ...base, "meshlift:istio": deep });
      assert.equal(problems.length, 1, JSON.stringify(problems).slice(0, 500));
      assert.match(problems[0].message, /nests deeper than \d+ levels/);
    });
  });

  describe("item 3: secrets under misspelt keys are never echoed", () => {
    const multiCluster = (rootCa: Record<string, string>) =>
      JSON.stringify({ meshId: "m", clusterName: "a", network: "n", rootCa });

    it("redacts a PEM under rootCa.kyePem (unknown key) in the error", () => {
      const msg = messageOf({
        ...base,
        "meshlift:multiCluster": multiCluster({ certPem: "[secret]", kyePem: PEM }),
      });
      assert.match(msg, /multiCluster\.rootCa\.kyePem/);
      assert.doesNotMatch(msg, /BEGIN PRIVATE KEY|MIIEvQ/);
    });

    it("redacts a PEM given as a dotted key's value", () => {
      const msg = messageOf({ ...base, "meshlift:multiCluster.rootCa.kyePem": PEM });
      assert.doesNotMatch(msg, /BEGIN PRIVATE KEY|MIIEvQ/);
    });

    it("redacts token-looking values under any unknown key", () => {
      const token = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
      const msg = messageOf({ ...base, "meshlift:cutover.apiKye": token });
      assert.match(msg, /meshlift:cutover\.apiKye/);
      assert.doesNotMatch(msg, /ghp_0123/);
    });

    it("truncates long values in errors", () => {
      const msg = messageOf({ ...base, "meshlift:phase": "x".repeat(10_000) });
      assert.ok(msg.length < 1000, `message of ${msg.length} characters`);
    });
  });

  describe("item 6: CIDRs are parsed, not matched", () => {
    const vpc = (cidr: string) => JSON.stringify({ mode: "create", vpc: { cidr } });
    for (const [cidr, why] of [
      ["999.999.0.0/16", /must be an IPv4 CIDR/],
      ["10.20.5.7/16", /host bits set: the network is 10\.20\.0\.0\/16/],
      ["10.0.0.0/8", /prefix from \/16 to \/24/],
      ["2001:db8::/56", /must be an IPv4 CIDR/],
    ] as const) {
      it(`refuses vpc.cidr ${cidr}`, () => {
        const problems = problemsOf({ ...base, "meshlift:cluster": vpc(cidr) });
        const p = problems.find((x) => x.key === "meshlift:cluster.vpc.cidr");
        assert.ok(p, JSON.stringify(problems));
        assert.match(p.message, why);
      });
    }

    const mesh = (cidrs: string[]) =>
      JSON.stringify({
        meshId: "m",
        clusterName: "a",
        network: "n",
        caStack: "a",
        peers: [{ name: "b", stack: "b", cidrs }],
      });
    it("refuses multiCluster.peers[].cidrs 300.1.1.1/99 and host bits, accepts IPv6", () => {
      const problems = problemsOf({
        ...base,
        "meshlift:multiCluster": mesh(["300.1.1.1/99", "10.30.0.1/16", "2001:db8::1/56"]),
      });
      const keys = problems.map((p) => p.key);
      assert.deepEqual(keys, [
        "meshlift:multiCluster.peers.0.cidrs.0",
        "meshlift:multiCluster.peers.0.cidrs.1",
        "meshlift:multiCluster.peers.0.cidrs.2",
      ]);
      const ok = parseConfig("t", {
        ...base,
        "meshlift:multiCluster": mesh(["10.30.0.0/16", "2001:db8::/56"]),
      });
      assert.deepEqual(ok.multiCluster?.peers[0].cidrs, ["10.30.0.0/16", "2001:db8::/56"]);
    });

    it("refuses security ipBlocks that are not addresses or CIDRs", () => {
      const security = JSON.stringify({
        allow: [
          {
            name: "a",
            namespace: "shop",
            ipBlocks: ["10.0.0.0/8", "1.2.3.4", "1.2.3.999", "::1/200"],
          },
        ],
      });
      const problems = problemsOf({ ...base, "meshlift:security": security });
      assert.deepEqual(
        problems.map((p) => p.key),
        ["meshlift:security.allow.0.ipBlocks.2", "meshlift:security.allow.0.ipBlocks.3"],
      );
    });
  });

  describe("item 7: an unknown but well-formed region", () => {
    it("is a config error naming aws:region and the supported regions", () => {
      const problems = problemsOf({ ...base, "aws:region": "eu-west-9" });
      assert.equal(problems.length, 1);
      assert.equal(problems[0].key, "aws:region");
      assert.match(problems[0].message, /not a region meshlift supports.*eu-west-1/);
    });
  });

  describe("item 11: config quirks", () => {
    it("cluster.mode.x=1 names the key and the value in the way, with no second error", () => {
      const problems = problemsOf({ ...base, "meshlift:cluster.mode.x": "1" });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].key, "meshlift:cluster.mode.x");
      assert.match(problems[0].message, /meshlift:cluster\.mode is "create", not an object/);
    });

    it("refuses keys outside meshlift: and the provider namespaces (config:phase)", () => {
      const problems = problemsOf({ ...base, "config:phase": "parallel" });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].key, "config:phase");
      assert.match(problems[0].message, /namespace "config:".*did you mean meshlift:phase\?/);
      assert.equal(parseConfig("t", { ...base, "aws:profile": "x" }).phase, "discovery");
    });

    it("shows restartToken values (they are not secret)", () => {
      const migration = JSON.stringify({
        namespaces: [{ name: "shop", state: "istio", restartToken: "bad token!" }],
      });
      const msg = messageOf({ ...base, "meshlift:migration": migration });
      assert.match(msg, /restartToken \(given: "bad token!"\)/);
    });
  });

  describe("issue 11 item 5: dotted keys deep-merge into the section", () => {
    const cluster = JSON.stringify({
      mode: "create",
      nodeGroups: {
        core: { instanceTypes: ["m6i.large"], minSize: 2, desiredSize: 2, maxSize: 4 },
        gateway: { instanceTypes: ["c6i.large"], minSize: 1, desiredSize: 1, maxSize: 2 },
      },
    });

    it("keeps the gateway group and the core sizes it does not name", () => {
      const cfg = parseConfig("t", {
        ...base,
        "meshlift:cluster": cluster,
        "meshlift:cluster.nodeGroups": JSON.stringify({ core: { maxSize: 8 } }),
      });
      assert.equal(cfg.cluster.mode, "create");
      if (cfg.cluster.mode !== "create") return;
      assert.deepEqual(cfg.cluster.nodeGroups.core.instanceTypes, ["m6i.large"]);
      assert.equal(cfg.cluster.nodeGroups.core.maxSize, 8);
      assert.equal(cfg.cluster.nodeGroups.core.minSize, 2);
      assert.deepEqual(cfg.cluster.nodeGroups.gateway.instanceTypes, ["c6i.large"]);
    });

    it("lets the more specific key win, whatever the order", () => {
      const cfg = parseConfig("t", {
        ...base,
        "meshlift:cluster.nodeGroups.core.maxSize": "9",
        "meshlift:cluster": cluster,
        "meshlift:cluster.nodeGroups": JSON.stringify({ core: { maxSize: 8 } }),
      });
      assert.equal(cfg.cluster.mode === "create" && cfg.cluster.nodeGroups.core.maxSize, 9);
    });

    it("indexes lists with a number and refuses a name", () => {
      const migration = JSON.stringify({ namespaces: [{ name: "shop", state: "appmesh" }] });
      const cfg = parseConfig("t", {
        ...base,
        "meshlift:migration": migration,
        "meshlift:migration.namespaces.0.restartToken": '"2"',
      });
      assert.equal(cfg.migration.namespaces[0].restartToken, "2");
      assert.equal(cfg.migration.namespaces[0].state, "appmesh");
      const problems = problemsOf({
        ...base,
        "meshlift:migration": migration,
        "meshlift:migration.namespaces.shop.state": "istio",
      });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.match(problems[0].message, /meshlift:migration\.namespaces is a list/);
    });
  });
});
