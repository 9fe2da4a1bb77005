// The offline plan: runs the real program in-process under a recording mock monitor with a stack's config file.
import * as pulumi from "@pulumi/pulumi";
import { atPhase, LoadedStack, loadStack } from "../config/load";
import { PROJECT_ROOT } from "../config/project";
import { DeployedState } from "../phases/deployed";
import { Phase } from "../phases/phases";
import { meshlift, ProgramOptions } from "../program";
import { offlineMocks } from "./mocks";
import { RecordedResource, RecordingMonitor, ResourceOptionsRecord } from "./recorder";

export const PROJECT = "meshlift";
export const PROJECT_DIR = PROJECT_ROOT;
/** The Pulumi organization an offline plan runs as. */
export const OFFLINE_ORGANIZATION = "organization";

export interface PlanOptions {
  readonly stack: string;
  /** Overrides `meshlift:phase`. */
  readonly phase?: Phase;
  /** Extra config, `key=value` as `pulumi config set` takes it (`meshlift:` is implied). Only when the plan loads the stack itself. */
  readonly set?: Readonly<Record<string, string>>;
  /** Pretend this phase is deployed, to exercise the transition guard offline. */
  readonly deployedPhase?: Phase;
  /** Pretend the stack last exported these outputs (e.g. `istioMode`), with deployedPhase as `phase`. */
  readonly deployedOutputs?: Readonly<Record<string, unknown>>;
  /** @default the directory holding Pulumi.yaml */
  readonly projectDir?: string;
  /** Program inputs that other components or tests provide (converter, gateway hostname). */
  readonly program?: Pick<ProgramOptions, "convert" | "gatewayHostname" | "adoptedCluster">;
  /** The stack as the caller loaded it (`loadStack`): the plan then reads and parses nothing. @default loaded here */
  readonly loaded?: LoadedStack;
}

/** One resource of the plan: the stable contract that tests, other issues and external checks read. */
export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly inputs: Record<string, unknown>;
  readonly dependsOn: string[];
  readonly provider: string | null;
  readonly protect: boolean;
  /**
   * Options as registered: `retainOnDelete`, `deleteBeforeReplace`, `ignoreChanges`, `import`,
   * `replaceOnChanges`, `aliases`. An absent key means the option is unset.
   */
  readonly options: ResourceOptionsRecord;
}

export interface PlanDocument {
  readonly project: string;
  readonly stack: string;
  readonly phase: Phase;
  readonly resources: PlanResource[];
  readonly outputs: Record<string, unknown>;
}

/** The plan plus what the JSON contract leaves out (secret input names, custom vs component). */
export interface PlanResult {
  readonly document: PlanDocument;
  readonly recorded: RecordedResource[];
}

let queue: Promise<unknown> = Promise.resolve();

/** Plans run one at a time: the Pulumi runtime is process-global. */
export function runOfflinePlan(opts: PlanOptions): Promise<PlanResult> {
  const run = queue.then(() => planOnce(opts));
  queue = run.catch(() => undefined);
  return run;
}

/** The stack a plan runs: the caller's, at the plan's phase, or read and parsed once here. */
export function planStack(opts: PlanOptions): LoadedStack {
  if (opts.loaded) {
    if (opts.set) throw new Error("runOfflinePlan: give `set` to loadStack, not with `loaded`");
    return opts.phase ? atPhase(opts.loaded, opts.phase) : opts.loaded;
  }
  return loadStack(opts.stack, {
    projectDir: opts.projectDir ?? PROJECT_DIR,
    set: opts.set,
    phase: opts.phase,
    convert: opts.program?.convert,
  });
}

async function planOnce(opts: PlanOptions): Promise<PlanResult> {
  const loaded = planStack(opts);
  const monitor = new RecordingMonitor(offlineMocks);
  // The organization qualifies StackReference names (multi-cluster peers, the mesh's caStack).
  pulumi.runtime.setMockOptions(monitor, PROJECT, opts.stack, true, OFFLINE_ORGANIZATION);
  pulumi.runtime.setAllConfig({ ...loaded.flat }, [...loaded.secretKeys]);
  const deployed: DeployedState =
    opts.deployedPhase || opts.deployedOutputs
      ? {
          known: true,
          outputs: {
            ...opts.deployedOutputs,
            phase: opts.deployedPhase ?? opts.deployedOutputs?.phase,
          },
        }
      : { known: false, reason: "offline plan: no deployed state" };
  try {
    await pulumi.runtime.runInPulumiStack(() =>
      meshlift({
        deployed,
        config: loaded.config,
        gatewayHostname: opts.program?.gatewayHostname,
        adoptedCluster: opts.program?.adoptedCluster,
      }),
    );
    await pulumi.runtime.disconnect();
  } catch (e) {
    // The program wraps the errors written for the user (a refused transition) in a RunError for the
    // engine; in-process, the original says what it is.
    const cause = (e as { cause?: unknown }).cause;
    if (pulumi.RunError.isInstance(e) && cause instanceof Error) throw cause;
    throw e;
  }
  const recorded = [...monitor.recorded].sort((a, b) => a.urn.localeCompare(b.urn));
  const phase = loaded.config.phase;
  return {
    recorded,
    document: {
      project: PROJECT,
      stack: opts.stack,
      phase,
      resources: recorded.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent,
        inputs: r.inputs,
        dependsOn: r.dependsOn,
        provider: r.provider,
        protect: r.protect,
        options: r.options,
      })),
      outputs: monitor.stackOutputs,
    },
  };
}
