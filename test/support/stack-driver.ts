// A test stand-in for the Pulumi Kubernetes Operator: moves a Stack's status through reconciling -> succeeded / failed / stalled, as v2.9.0 writes it.
import { strict as assert } from "node:assert";
import { RECONCILE_REQUEST } from "../../fleet/stack-status";
import { crdErrors } from "./crds";
import { KubeApiServer, KubeObject, ResourceType } from "./kube-api-server";

/** stacks.pulumi.com as the operator's CRD installs it (status subresource). */
export const STACKS: ResourceType = {
  group: "pulumi.com",
  version: "v1",
  resource: "stacks",
  kind: "Stack",
  namespaced: true,
  status: true,
};

type Obj = Record<string, unknown>;

function condition(type: string, status: string, reason: string, message: string): Obj {
  return { type, status, reason, message, lastTransitionTime: new Date().toISOString() };
}

export class StackDriver {
  private updates = 0;

  constructor(
    readonly server: KubeApiServer,
    readonly namespace: string,
    readonly name: string,
  ) {}

  get(): KubeObject {
    const o = this.server.get("pulumi.com/v1", "Stack", this.namespace, this.name);
    assert.ok(o, `no Stack ${this.namespace}/${this.name}`);
    return o;
  }

  private meta(): { generation: number; request?: string } {
    const md = this.get().metadata as { generation: number; annotations?: Record<string, string> };
    return { generation: md.generation, request: md.annotations?.[RECONCILE_REQUEST] };
  }

  /** Waits (bounded) until the Stack carries a reconcile request other than `before`: the runner's patch. */
  async patched(before?: string): Promise<{ generation: number; request: string }> {
    const until = Date.now() + 30_000;
    for (;;) {
      const m = this.meta();
      if (m.request && m.request !== before)
        return { generation: m.generation, request: m.request };
      if (Date.now() > until)
        throw new Error(`the Stack was not patched within 30 s (request ${String(m.request)})`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Writes the status through the server (a MODIFIED watch event), checked against the CRD's status schema. */
  private setStatus(status: (s: Obj, o: KubeObject) => void): void {
    this.server.update("pulumi.com/v1", "Stack", this.namespace, this.name, (o) => {
      const s: Obj = (o.status as Obj | undefined) ?? {};
      status(s, o);
      o.status = s;
      assert.deepEqual(crdErrors(o), [], "the driver writes a status the CRD accepts");
    });
  }

  /** The operator picked the Stack up and runs an update in its workspace. */
  reconciling(): void {
    const { generation, request } = this.meta();
    this.updates += 1;
    this.setStatus((s) => {
      s.observedGeneration = generation;
      s.currentUpdate = { generation, name: this.updateName(), reconcileRequest: request ?? "" };
      s.conditions = [
        condition("Ready", "False", "NotReadyInProgress", "reconciliation is in progress"),
        condition("Reconciling", "True", "StackProcessing", "stack is being processed"),
      ];
    });
  }

  private updateName(): string {
    return `${this.name}-${String(this.updates).padStart(8, "0")}`;
  }

  private lastUpdate(state: "succeeded" | "failed", message: string, failures: number): Obj {
    const { generation, request } = this.meta();
    return {
      generation,
      reconcileRequest: request ?? "",
      name: this.updateName(),
      state,
      message,
      failures,
      type: "up",
      lastResyncTime: new Date().toISOString(),
      lastAttemptedCommit: "0123456789abcdef0123456789abcdef01234567",
      ...(state === "succeeded"
        ? { lastSuccessfulCommit: "0123456789abcdef0123456789abcdef01234567" }
        : {}),
      permalink: `https://app.pulumi.com/organization/meshlift/dev/updates/${this.updates}`,
    };
  }

  /** The update succeeded: Ready, the last update recorded, the stack's outputs. */
  succeed(outputs: Obj): void {
    this.setStatus((s) => {
      delete s.currentUpdate;
      s.lastUpdate = this.lastUpdate("succeeded", "", 0);
      s.outputs = outputs;
      s.conditions = [
        condition(
          "Ready",
          "True",
          "ProcessingCompleted",
          "the stack has been processed and is up to date",
        ),
      ];
    });
  }

  /** The update failed; the operator will retry with backoff. */
  fail(message: string, failures = 1): void {
    this.setStatus((s) => {
      delete s.currentUpdate;
      s.lastUpdate = this.lastUpdate("failed", message, failures);
      s.conditions = [
        condition("Ready", "False", "NotReadyInProgress", "reconciliation is in progress"),
        condition("Reconciling", "True", "RetryingAfterFailure", `${failures} update failure(s)`),
      ];
    });
  }

  /** The operator cannot process the Stack as it is (bad spec, source unavailable). */
  stall(reason: string, message: string): void {
    const { generation } = this.meta();
    this.setStatus((s) => {
      s.observedGeneration = generation;
      s.conditions = [
        condition("Ready", "False", "NotReadyStalled", "reconciliation is stalled"),
        condition("Stalled", "True", reason, message),
      ];
    });
  }
}
