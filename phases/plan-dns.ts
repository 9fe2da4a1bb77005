// The DNS part of a PhasePlan: which weighted records of each cutover hostname exist in a phase, with what weight (planPhase fills it).
import type { Weights } from "../builders/route53-cutover";
import type { CutoverRecordConfig } from "../config/sections/cutover";

/** One `cutover.records` hostname in a phase: which of its two weighted records exist, with what weight. */
export interface DnsRecordPlan {
  readonly record: CutoverRecordConfig;
  /**
   * The adopted App Mesh record (set identifier `appmesh`), absent once App Mesh is removed; it is
   * retained on delete while it carries weight (it served traffic before the stack existed).
   */
  readonly appmesh?: { readonly weight: number; readonly retainOnDelete: boolean };
  /** The Istio gateway record (set identifier `istio`), from `parallel` on. */
  readonly istio?: { readonly weight: number };
}

export interface DnsPlan {
  readonly records: readonly DnsRecordPlan[];
  /** The weights of this phase (the same for every record); they always add up to 100. */
  readonly weights: Weights;
  /** Istio records exist in this phase. */
  readonly istioRecords: boolean;
  /** App Mesh records exist in this phase. */
  readonly appmeshRecords: boolean;
  /** From this phase on the Istio records carry traffic (`cutover.istioWeight`, then all of it). */
  readonly istioTakesTraffic: boolean;
  /** The weights follow `cutover.istioWeight` here: it can be stepped (and set back) within the phase. */
  readonly shiftable: boolean;
}
