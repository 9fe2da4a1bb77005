// The `pulumi up` entry point: it reads the stack's own last outputs through a StackReference and hands them to the program as the deployed state.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { loadStack } from "../config/load";
import { offlineMocks } from "../plan/mocks";
import { OFFLINE_ORGANIZATION, PROJECT, PROJECT_DIR } from "../plan/offline";
import { RecordingMonitor } from "../plan/recorder";
import { Phase } from "../phases/phases";

/** Runs index.ts's program for the dev stack at `phase`, its own stack reference answering `previous`. */
async function runIndex(
  phase: Phase,
  previous: Record<string, unknown>,
): Promise<{ monitor: RecordingMonitor; references: Record<string, unknown>[] }> {
  const loaded = loadStack("dev", { projectDir: PROJECT_DIR, phase });
  const references: Record<string, unknown>[] = [];
  const monitor = new RecordingMonitor({
    ...offlineMocks,
    newResource(args) {
      if (args.type === "pulumi:pulumi:StackReference" && args.name === "dev-previous") {
        references.push(args.inputs);
        return { id: "dev-previous", state: { outputs: previous, secretOutputNames: [] } };
      }
      return offlineMocks.newResource(args);
    },
  });
  pulumi.runtime.setMockOptions(monitor, PROJECT, "dev", true, OFFLINE_ORGANIZATION);
  pulumi.runtime.setAllConfig({ ...loaded.flat }, [...loaded.secretKeys]);
  const program = require("../index") as () => Promise<Record<string, unknown>>;
  try {
    await pulumi.runtime.runInPulumiStack(program);
  } finally {
    await pulumi.runtime.disconnect();
  }
  return { monitor, references };
}

describe("index.ts", () => {
  it("reads its own stack's last outputs by its qualified name and runs the program", async () => {
    const { monitor, references } = await runIndex("parallel", { phase: "discovery" });
    assert.deepEqual(references, [{ name: `${OFFLINE_ORGANIZATION}/${PROJECT}/dev` }]);
    assert.ok(monitor.recorded.some((r) => r.type === "eks:index:Cluster"));
    assert.equal(monitor.stackOutputs.phase, "parallel");
  });

  it("hands those outputs to the program as the deployed phase, which the transition guard checks", async () => {
    await assert.rejects(
      runIndex("cutover", { phase: "discovery" }),
      /cannot move from phase "discovery" to "cutover"/,
    );
    const { monitor } = await runIndex("cutover", { phase: "workloads" });
    assert.equal(monitor.stackOutputs.phase, "cutover");
  });
});
