// Hostile input for meshlift:cutover.progressive: every key with wrong types, huge, nested, __proto__/constructor, unicode and invalid values.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { ConfigError } from "../../../config/errors";
import { parseConfig } from "../../../config/load";
import { readStackFile } from "../../../config/stack-file";
import { DEFAULT_PROJECT_DIR } from "../../../automation/runners/runner";
import { resolveCutover } from "../../../cutover/settings";
import { main } from "../../../cli/main";

const dev = readStackFile(DEFAULT_PROJECT_DIR, "dev").config;
const URL_OK = { prometheus: { url: "http://prometheus.monitoring:9090" } };

function flat(progressive: unknown, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...dev,
    "meshlift:phase": "cutover",
    "meshlift:cutover.progressive":
      typeof progressive === "string" ? progressive : JSON.stringify(progressive),
    ...extra,
  };
}

/** The one ConfigError a bad value gives: its problem keys and messages. */
function problems(progressive: unknown, extra?: Record<string, string>, dryRun = true): string[] {
  try {
    resolveCutover(parseConfig("dev", flat(progressive, extra)), { dryRun });
  } catch (e) {
    assert.ok(e instanceof ConfigError, `not a ConfigError: ${String(e)}`);
    assert.doesNotMatch(e.message, /\n\s+at /, "no stack trace");
    return e.problems.map(
      (p) =>
        `${p.key} :: ${(JSON.stringify(p.given) ?? "undefined").slice(0, 200)} :: ${p.message}`,
    );
  }
  assert.fail(`accepted ${JSON.stringify(progressive).slice(0, 200)}`);
}

const K = "meshlift:cutover.progressive";
/** `{"a":{"a":...}}` as text: building it as an object and stringifying it would overflow first. */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

describe("hostile: meshlift:cutover.progressive", () => {
  const cases: [string, unknown, RegExp][] = [
    ["not an object", "steps", new RegExp(`^${K} :: "steps" :: must be an object`)],
    ["an array", [5, 25], new RegExp(`^${K} :: \\[5,25\\] :: must be an object`)],
    [
      "steps: a string",
      { steps: "5,25", analysis: URL_OK },
      /progressive\.steps :: "5,25" :: must be an array/,
    ],
    [
      "steps: empty",
      { steps: [], analysis: URL_OK },
      /progressive\.steps :: \[\] :: needs at least 1 item/,
    ],
    [
      "steps: 101",
      { steps: [5, 101], analysis: URL_OK },
      /progressive\.steps\.1 :: 101 :: must be <= 100/,
    ],
    [
      "steps: fractional",
      { steps: [5.5], analysis: URL_OK },
      /progressive\.steps\.0 :: 5\.5 :: must be an integer|steps\.0 .*int/,
    ],
    [
      "steps: going back",
      { steps: [50, 25], analysis: URL_OK },
      /steps\.1 :: 25 :: must be greater than the step before it \(50\)/,
    ],
    [
      "steps: huge list",
      { steps: Array.from({ length: 5000 }, (_, i) => i), analysis: URL_OK },
      /progressive\.steps .*allows at most 20 item/,
    ],
    [
      "interval: a string",
      { interval: "300", analysis: URL_OK },
      /progressive\.interval :: "300" :: must be a number/,
    ],
    [
      "interval: 0",
      { interval: 0, analysis: URL_OK },
      /progressive\.interval :: 0 :: must be >= 1/,
    ],
    [
      "interval: huge",
      { interval: 1e308, analysis: URL_OK },
      /progressive\.interval :: 1e\+308 :: must be <= 86400/,
    ],
    ["analysis: missing", {}, /progressive\.analysis :: undefined :: is required/],
    [
      "provider: unknown",
      { analysis: { ...URL_OK, provider: "datadog" } },
      /analysis\.provider :: "datadog" :: must be one of: "prometheus", "cloudwatch"/,
    ],
    [
      "prometheus: missing",
      { analysis: {} },
      /analysis\.prometheus\.url :: undefined :: is required with provider "prometheus"/,
    ],
    [
      "url: not a URL",
      { analysis: { prometheus: { url: "prometheus:9090 x" } } },
      /prometheus\.url :: "prometheus:9090 x" :: must be http or https|must be an http\(s\) URL/,
    ],
    [
      "url: file://",
      { analysis: { prometheus: { url: "file:///etc/passwd" } } },
      /prometheus\.url :: "file:\/\/\/etc\/passwd" :: must be http or https, not file/,
    ],
    [
      "url: credentials",
      { analysis: { prometheus: { url: "https://admin:hunter2@p:9090" } } },
      /prometheus\.url .* must not carry credentials/,
    ],
    [
      "url: huge",
      { analysis: { prometheus: { url: `http://p/${"a".repeat(5000)}` } } },
      /prometheus\.url :: "http:\/\/p\/a+\.\.\. \(5009 characters\)" :: must be at most 2048 characters/,
    ],
    [
      "url: a number",
      { analysis: { prometheus: { url: 9090 } } },
      /prometheus\.url :: 9090 :: must be a string/,
    ],
    [
      "timeout: 0",
      { analysis: { prometheus: { url: "http://p", timeout: 0 } } },
      /prometheus\.timeout :: 0 :: must be >= 1/,
    ],
    [
      "prometheus: unknown key",
      { analysis: { prometheus: { url: "http://p", token: "s3cret" } } },
      /prometheus\.token :: "<redacted>" :: unknown key \(allowed: timeout, url\)/,
    ],
    [
      "cloudwatch: bad region",
      { analysis: { provider: "cloudwatch", cloudwatch: { region: "mars-1" } } },
      /cloudwatch\.region :: "mars-1" :: must be an AWS region/,
    ],
    [
      "cloudwatch: bad cluster name",
      { analysis: { provider: "cloudwatch", cloudwatch: { clusterName: "a b" } } },
      /cloudwatch\.clusterName :: "a b" :: must be an EKS cluster name/,
    ],
    [
      "maxErrorRate: 2",
      { analysis: { ...URL_OK, maxErrorRate: 2 } },
      /analysis\.maxErrorRate :: 2 :: must be <= 1/,
    ],
    [
      "maxErrorRate: negative",
      { analysis: { ...URL_OK, maxErrorRate: -0.1 } },
      /analysis\.maxErrorRate :: -0\.1 :: must be >= 0/,
    ],
    [
      "maxErrorRate: a percentage string",
      { analysis: { ...URL_OK, maxErrorRate: "1%" } },
      /analysis\.maxErrorRate :: "1%" :: must be a number/,
    ],
    ["maxP99Ms: 0", { analysis: { ...URL_OK, maxP99Ms: 0 } }, /analysis\.maxP99Ms :: 0 :: /],
    [
      "maxErrorRateIncrease: null",
      { analysis: { ...URL_OK, maxErrorRateIncrease: null } },
      /analysis\.maxErrorRateIncrease :: null :: must be a number/,
    ],
    [
      "minRequests: fractional",
      { analysis: { ...URL_OK, minRequests: 0.5 } },
      /analysis\.minRequests :: 0\.5 :: /,
    ],
    [
      "maxHolds: negative",
      { analysis: { ...URL_OK, maxHolds: -1 } },
      /analysis\.maxHolds :: -1 :: must be >= 0/,
    ],
    [
      "maxHolds: a boolean",
      { analysis: { ...URL_OK, maxHolds: true } },
      /analysis\.maxHolds :: true :: must be a number/,
    ],
    [
      "analysis: unknown key, a typo",
      { analysis: { ...URL_OK, maxErrorRates: 0.1 } },
      /analysis\.maxErrorRates :: 0\.1 :: unknown key; did you mean meshlift:cutover\.progressive\.analysis\.maxErrorRate\?/,
    ],
    [
      "queries: an array",
      { analysis: { ...URL_OK, queries: ["up"] } },
      /analysis\.queries :: \["up"\] :: must be an object/,
    ],
    [
      "queries: __proto__ key",
      JSON.parse(
        `{"analysis":{"prometheus":{"url":"http://p"},"queries":{"__proto__":{"istioRequests":"up"}}}}`,
      ),
      /queries\.__proto__ :: undefined :: "__proto__" is not allowed in a config key/,
    ],
    [
      "queries: constructor key",
      { analysis: { ...URL_OK, queries: { constructor: { istioRequests: "up" } } } },
      /queries\.constructor :: undefined :: "constructor" is not allowed in a config key/,
    ],
    [
      "queries: unicode key",
      { analysis: { ...URL_OK, queries: { shöp: { istioRequests: "up" } } } },
      /queries\.shöp :: .* must be "\*" \(every migrated namespace\), a migrated namespace or a cutover\.records hostname/,
    ],
    [
      "queries: unknown hostname",
      { analysis: { ...URL_OK, queries: { "evil.example.org": { istioRequests: "up" } } } },
      /"evil\.example\.org" is not a cutover\.records hostname/,
    ],
    [
      "queries: unknown metric",
      { analysis: { ...URL_OK, queries: { shop: { istioErrors: "up" } } } },
      /queries\.shop\.istioErrors :: "up" :: unknown key \(allowed: appmeshErrorRate, appmeshP99Ms, appmeshRequests, istioErrorRate, istioP99Ms, istioRequests\)/,
    ],
    [
      "queries: a number",
      { analysis: { ...URL_OK, queries: { shop: { istioRequests: 5 } } } },
      /queries\.shop\.istioRequests :: 5 :: must be a string/,
    ],
    [
      "queries: empty",
      { analysis: { ...URL_OK, queries: { shop: { istioRequests: "" } } } },
      /queries\.shop\.istioRequests :: "" :: must be at least 1 character/,
    ],
    [
      "queries: huge",
      { analysis: { ...URL_OK, queries: { shop: { istioRequests: "x".repeat(100_000) } } } },
      /queries\.shop\.istioRequests .* must be at most 4000 characters/,
    ],
    [
      "queries: control characters",
      { analysis: { ...URL_OK, queries: { shop: { istioRequests: "up\u0000{}" } } } },
      /queries\.shop\.istioRequests .* must not contain control characters/,
    ],
    [
      "queries: unknown placeholder",
      { analysis: { ...URL_OK, queries: { "*": { istioRequests: 'sum(x{ns="$ns"})' } } } },
      /queries\.\*\.istioRequests .* unknown placeholder \$ns \(allowed: \$namespace/,
    ],
    [
      "queries: $hostname for a namespace",
      { analysis: { ...URL_OK, queries: { shop: { istioRequests: 'sum(x{h="$hostname"})' } } } },
      /queries\.shop\.istioRequests .* \$hostname has no value here/,
    ],
    [
      "queries: hostname target without its queries",
      { analysis: { ...URL_OK, queries: { "shop.dev.example.com": { istioRequests: "sum(x)" } } } },
      /queries\.shop\.dev\.example\.com\.istioErrorRate :: undefined :: is required for hostname target/,
    ],
    [
      "queries: deeply nested",
      `{"analysis":{"prometheus":{"url":"http://p"},"queries":{"shop":${nested(100_000)}}}}`,
      new RegExp(
        `^${K}\\.(analysis\\.queries\\.shop\\.)?(a\\.)+a :: undefined :: nests deeper than \\d+ levels`,
      ),
    ],
    [
      "progressive: deeply nested",
      nested(5000),
      new RegExp(
        `^${K}\\.(analysis\\.queries\\.shop\\.)?(a\\.)+a :: undefined :: nests deeper than \\d+ levels`,
      ),
    ],
  ];
  for (const [name, value, expected] of cases) {
    it(`${name}: one ConfigError naming the key`, () => {
      const got = problems(value);
      assert.ok(
        got.some((p) => expected.test(p)),
        `expected ${String(expected)} in:\n${got.join("\n")}`,
      );
    });
  }

  it("needs the phase cutover, records, a migrated namespace, and interval >= ttl unless --dry-run", () => {
    const ok = { interval: 30, analysis: URL_OK };
    assert.ok(
      problems(ok, {}, false).some((p) =>
        /progressive\.interval :: 30 :: must be at least cutover\.ttl \(60 s\)/.test(p),
      ),
    );
    assert.doesNotThrow(() => resolveCutover(parseConfig("dev", flat(ok)), { dryRun: true }));
    assert.ok(
      problems(ok, { "meshlift:phase": "workloads" }).some((p) =>
        /meshlift:phase :: "workloads" :: a progressive cutover runs in phase cutover/.test(p),
      ),
    );
    assert.ok(
      problems(ok, { "meshlift:cutover.records": "[]" }).some((p) =>
        /cutover\.records :: \[\] :: lists no hostname/.test(p),
      ),
    );
    assert.ok(
      problems(ok, {
        "meshlift:migration.namespaces": JSON.stringify([{ name: "shop", state: "appmesh" }]),
      }).some((p) => /has nothing to judge/.test(p)),
    );
    assert.ok(
      problems({ analysis: { provider: "cloudwatch" } }).some((p) =>
        /queries\.\*\.istioRequests :: undefined :: is required for namespace "shop": provider "cloudwatch" has no default/.test(
          p,
        ),
      ),
    );
  });

  it("a stack without the section: one clear message", () => {
    try {
      resolveCutover(parseConfig("dev", { ...dev, "meshlift:phase": "cutover" }), { dryRun: true });
      assert.fail("accepted");
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      assert.match(
        e.message,
        /meshlift:cutover\.progressive: is not set: add steps, interval and analysis/,
      );
    }
  });

  it("random values for every key give a config or a ConfigError, never anything else (fuzz)", () => {
    const anyJson = fc.jsonValue({ maxDepth: 4 });
    const progressive = fc.record(
      {
        steps: fc.oneof(fc.array(fc.integer({ min: -5, max: 120 }), { maxLength: 8 }), anyJson),
        interval: fc.oneof(fc.integer({ min: -10, max: 100_000 }), anyJson),
        analysis: fc.record(
          {
            provider: fc.oneof(fc.constantFrom("prometheus", "cloudwatch", "x"), anyJson),
            prometheus: fc.oneof(fc.record({ url: fc.oneof(fc.webUrl(), fc.string()) }), anyJson),
            maxErrorRate: fc.oneof(fc.double(), anyJson),
            maxP99Ms: fc.oneof(fc.double(), anyJson),
            maxErrorRateIncrease: fc.oneof(fc.double(), anyJson),
            minRequests: fc.oneof(fc.integer(), anyJson),
            maxHolds: fc.oneof(fc.integer(), anyJson),
            queries: fc.oneof(
              fc.dictionary(
                fc.oneof(
                  fc.constantFrom("*", "shop", "payments", "__proto__", "constructor"),
                  fc.string(),
                ),
                fc.dictionary(
                  fc.constantFrom("istioRequests", "appmeshP99Ms", "x"),
                  fc.oneof(fc.string(), anyJson),
                ),
              ),
              anyJson,
            ),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(progressive, fc.boolean(), (p, dryRun) => {
        try {
          resolveCutover(parseConfig("dev", flat(p)), { dryRun });
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          if (e.problems.length === 0) throw new Error("a ConfigError without problems");
        }
      }),
      { numRuns: 150 },
    );
  });

  it("the CLI answers a bad value with exit 2 and one message, no stack trace", async () => {
    let err = "";
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (s: string) => ((err += s), true);
    try {
      const code = await main([
        "cutover",
        "run",
        "--stack",
        "dev",
        "--dry-run",
        "--set",
        "phase=cutover",
        "--set",
        `cutover.progressive={"steps":[50,10],"analysis":{"prometheus":{"url":"gopher://x"}}}`,
      ]);
      assert.equal(code, 2);
    } finally {
      process.stderr.write = write;
      process.exitCode = undefined;
    }
    assert.match(err, /^meshlift: invalid config for stack "dev"/);
    assert.match(err, /steps\.1 \(given: 10\): must be greater than the step before it/);
    assert.match(
      err,
      /prometheus\.url \(given: "gopher:\/\/x"\): must be http or https, not gopher/,
    );
    assert.doesNotMatch(err, /\n\s+at /);
  });

  it("the CLI refuses a bad --set, an unknown stack and a stack name that is a path", async () => {
    for (const [args, expected] of [
      [["--set", "noequals"], /--set "noequals": expected key=value/],
      [["--stack", "nope"], /unknown stack "nope"/],
      [["--stack", "../../etc/passwd"], /unknown stack "\.\.\/\.\.\/etc\/passwd"/],
    ] as const) {
      let err = "";
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = (s: string) => ((err += s), true);
      try {
        const base = ["cutover", "run", "--dry-run"];
        const code = await main(
          args[0] === "--stack" ? [...base, ...args] : [...base, "--stack", "dev", ...args],
        );
        assert.equal(code, 2, err);
      } finally {
        process.stderr.write = write;
        process.exitCode = undefined;
      }
      assert.match(err, expected);
    }
  });
});
