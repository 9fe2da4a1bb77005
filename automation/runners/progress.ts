// Live progress from engine events: resources done / total and the current step, for the CLI and SSE readers.
import { RunnerEvent } from "./runner";

interface StepMetadata {
  op?: string;
  urn?: string;
  type?: string;
}

export interface ProgressState {
  /** Steps finished (outputs recorded or failed). */
  readonly done: number;
  /** Steps expected: the larger of the estimate and the steps seen so far. */
  readonly total: number;
  readonly failed: number;
  /** The step that started last, e.g. `create aws:ec2/vpc:Vpc cluster-vpc`. */
  readonly current?: string;
}

/** The resource name at the end of a URN. */
export function urnName(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

export class Progress {
  private readonly started = new Set<string>();
  private readonly finished = new Set<string>();
  private failed = 0;
  private current?: string;
  private summary?: Record<string, number>;

  /** `estimate`: how many resources the target should have (the offline plan's count), if known. */
  constructor(private readonly estimate = 0) {}

  /** Feeds one event; returns the line to show when it changes what is shown. */
  onEvent(e: RunnerEvent): string | undefined {
    const pre = (e.resourcePreEvent as { metadata?: StepMetadata } | undefined)?.metadata;
    const out = (e.resOutputsEvent as { metadata?: StepMetadata } | undefined)?.metadata;
    const failed = (e.resOpFailedEvent as { metadata?: StepMetadata } | undefined)?.metadata;
    const diag = e.diagnosticEvent as { severity?: string; message?: string } | undefined;
    const summary = e.summaryEvent as { resourceChanges?: Record<string, number> } | undefined;
    if (pre?.urn) {
      this.started.add(pre.urn);
      this.current = `${pre.op ?? "step"} ${pre.type ?? ""} ${urnName(pre.urn)}`.replace(
        /\s+/g,
        " ",
      );
      return this.line();
    }
    if (out?.urn || failed?.urn) {
      const urn = (out?.urn ?? failed?.urn) as string;
      this.started.add(urn);
      this.finished.add(urn);
      if (failed) this.failed += 1;
      return this.line();
    }
    if (diag?.severity === "error" && diag.message) return `error: ${diag.message.trim()}`;
    if (summary?.resourceChanges) {
      this.summary = summary.resourceChanges;
      return `done: ${Object.entries(this.summary)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")}`;
    }
    return undefined;
  }

  state(): ProgressState {
    return {
      done: this.finished.size,
      total: Math.max(this.estimate, this.started.size),
      failed: this.failed,
      current: this.current,
    };
  }

  line(): string {
    const s = this.state();
    const failed = s.failed ? `, ${s.failed} failed` : "";
    return `[${s.done}/${s.total}${failed}] ${s.current ?? ""}`.trimEnd();
  }
}
