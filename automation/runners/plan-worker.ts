// Worker-thread side of the plan runner: runs the real offline plan off the main thread and posts the document.
import { parentPort } from "node:worker_threads";
import { PlanOptions, runOfflinePlan } from "../../plan/offline";

export interface PlanJob {
  readonly id: number;
  /** Absent: a ping, answered once the program is loaded (to warm a worker up). */
  readonly opts?: PlanOptions;
}

export type PlanReply =
  | { readonly id: number; readonly ok: true; readonly document: unknown }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

if (parentPort) {
  const port = parentPort;
  port.on("message", (job: PlanJob) => {
    if (!job.opts) {
      port.postMessage({ id: job.id, ok: true, document: null } satisfies PlanReply);
      return;
    }
    runOfflinePlan(job.opts).then(
      (r) => port.postMessage({ id: job.id, ok: true, document: r.document } satisfies PlanReply),
      (e: unknown) =>
        port.postMessage({
          id: job.id,
          ok: false,
          name: e instanceof Error ? e.name : "Error",
          message: e instanceof Error ? e.message : String(e),
        } satisfies PlanReply),
    );
  });
}
