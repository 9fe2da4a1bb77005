// The recording monitor: resource options read off the real RegisterResourceRequest, unset ones left out.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { offlineMocks } from "../../plan/mocks";
import { RecordedResource, RecordingMonitor, replaceWithStandIns } from "../../plan/recorder";
import { COMPUTED } from "../../plan/computed";
import { SECRET_PLACEHOLDER } from "../../config/stack-file";

class Thing extends pulumi.CustomResource {
  constructor(name: string, opts?: pulumi.CustomResourceOptions) {
    super("test:index:Thing", name, { size: 1 }, opts);
  }
}

async function record(program: () => void): Promise<Map<string, RecordedResource>> {
  const monitor = new RecordingMonitor(offlineMocks);
  pulumi.runtime.setMockOptions(monitor, "recorder", "test", true, "organization");
  await pulumi.runtime.runInPulumiStack(async () => {
    program();
    return {};
  });
  await pulumi.runtime.disconnect();
  return new Map(monitor.recorded.map((r) => [r.name, r]));
}

describe("RecordingMonitor", () => {
  it("records retainOnDelete, deleteBeforeReplace, ignoreChanges, import, replaceOnChanges and aliases as registered", async () => {
    const got = await record(() => {
      const plain = new Thing("plain");
      new Thing("all", {
        retainOnDelete: true,
        deleteBeforeReplace: false,
        ignoreChanges: ["size"],
        import: "ns/name",
        replaceOnChanges: ["spec.name"],
        aliases: [{ name: "old-name" }, { parent: plain }, "urn:pulumi:test::recorder::x::y"],
      });
      new Thing("kept", { retainOnDelete: false, deleteBeforeReplace: true });
    });
    assert.deepEqual(got.get("plain")?.options, {}, "nothing set: no keys");
    assert.deepEqual(got.get("kept")?.options, {
      retainOnDelete: false,
      deleteBeforeReplace: true,
    });
    const all = got.get("all")?.options;
    assert.equal(all?.retainOnDelete, true);
    assert.equal(all?.deleteBeforeReplace, false, "explicitly false is recorded as set");
    assert.deepEqual(all?.ignoreChanges, ["size"]);
    assert.equal(all?.import, "ns/name");
    assert.deepEqual(all?.replaceOnChanges, ["spec.name"]);
    const plainUrn = got.get("plain")?.urn;
    const stackUrn = got.get("recorder-test")?.urn;
    assert.deepEqual(all?.aliases, [
      // The SDK fills in the parent an alias keeps: the engine sees the full old identity.
      { name: "old-name", parentUrn: stackUrn },
      { parentUrn: plainUrn },
      "urn:pulumi:test::recorder::x::y",
    ]);
  });
});

describe("replaceWithStandIns", () => {
  const { specialSigKey, specialSecretSig, specialResourceSig, unknownValue } = pulumi.runtime;

  it("replaces unknowns, secrets and resource references at any depth, and says a secret was seen", () => {
    const got = replaceWithStandIns({
      plain: "a",
      list: [1, unknownValue, { deep: { [specialSigKey]: specialSecretSig, value: "hunter2" } }],
      ref: { [specialSigKey]: specialResourceSig, urn: "urn:pulumi:t::p::x::y", id: "i" },
    });
    assert.deepEqual(got, {
      value: {
        plain: "a",
        list: [1, COMPUTED, { deep: SECRET_PLACEHOLDER }],
        ref: "urn:pulumi:t::p::x::y",
      },
      secret: true,
    });
    assert.ok(!JSON.stringify(got).includes("hunter2"));
  });

  it("leaves plain values as they are and reports no secret", () => {
    assert.deepEqual(replaceWithStandIns({ a: [1, null, "x"] }), {
      value: { a: [1, null, "x"] },
      secret: false,
    });
  });
});
