// The stack files as the service reads them: listed, parsed once per change, their phase, and a request's config and phase judged (422).
import * as fs from "node:fs";
import { ConfigError } from "../../config/errors";
import { fsReason } from "../../config/files";
import { LoadedStack, MeshliftConfig, parseConfig } from "../../config/load";
import {
  listStacks,
  readStackFile,
  StackFileError,
  StackNotFoundError,
  stackFilePath,
} from "../../config/stack-file";
import { TransitionError } from "../../phases/deployed";
import { isPhase, Phase, stackPosition } from "../../phases/phases";
import { planPhase } from "../../phases/plan";
import { resolveCutover } from "../../cutover/settings";
import { OperationKind } from "../runners/runner";
import { ServiceError, validation } from "./errors";
import { Store } from "./store";

/** Kinds that run the program and so move the stack to a phase. */
const PHASED_KINDS: ReadonlySet<OperationKind> = new Set(["plan", "preview", "up"]);

export class StackFiles {
  /** Parsed stack files by name, reused while the file's mtime and size stay the same. */
  private readonly files = new Map<
    string,
    {
      key: string;
      flat: Record<string, string>;
      secretKeys: string[];
      parsed: MeshliftConfig | ConfigError | StackFileError;
    }
  >();

  constructor(
    private readonly projectDir: string,
    private readonly store: Store,
  ) {}

  stacks(): string[] {
    return listStacks(this.projectDir);
  }

  /** 404 unless the stack has a config file. */
  requireStack(stack: string): void {
    const known = this.stacks();
    if (!known.includes(stack))
      throw new ServiceError(404, new StackNotFoundError(stack, known).message, { stack });
  }

  /**
   * The stack file, flat and parsed; YAML and schema work is redone only when the file changes. A
   * file that cannot be read or parsed is that stack's error, not the service's.
   */
  private stackFile(stack: string): {
    flat: Record<string, string>;
    secretKeys: string[];
    parsed: MeshliftConfig | ConfigError | StackFileError;
  } {
    const file = stackFilePath(this.projectDir, stack);
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch (e) {
      return { flat: {}, secretKeys: [], parsed: new StackFileError(file, fsReason(e)) };
    }
    const key = `${st.mtimeMs}:${st.size}`;
    const hit = this.files.get(stack);
    if (hit?.key === key) return hit;
    let flat: Record<string, string> = {};
    let secretKeys: string[] = [];
    let parsed: MeshliftConfig | ConfigError | StackFileError;
    try {
      ({ config: flat, secretKeys } = readStackFile(this.projectDir, stack));
      parsed = parseConfig(stack, flat, { projectDir: this.projectDir });
    } catch (e) {
      if (!(e instanceof ConfigError || e instanceof StackFileError)) throw e;
      parsed = e;
    }
    const entry = { key, flat, secretKeys, parsed };
    this.files.set(stack, entry);
    return entry;
  }

  /** The stack file parsed, or the ConfigError naming every bad key; 404 for an unknown stack. */
  config(stack: string): MeshliftConfig | ConfigError {
    this.requireStack(stack);
    const { parsed } = this.stackFile(stack);
    // A file that does not parse is one problem of that stack's config, keyed by the file.
    if (parsed instanceof StackFileError) {
      const where = parsed.line ? `:${parsed.line}${parsed.column ? `:${parsed.column}` : ""}` : "";
      return new ConfigError(stack, [{ key: `${parsed.file}${where}`, message: parsed.reason }]);
    }
    return parsed;
  }

  /** The phase in the stack file, the one deployed through this service, and which one counts. */
  phaseOf(stack: string): {
    configured: Phase | null;
    deployed: Phase | null;
    current: Phase | null;
    allowPhaseSkip: boolean;
    configError?: string;
  } {
    const { parsed } = this.stackFile(stack);
    const state = this.store.stackState(stack);
    const deployed = state && isPhase(state.phase) ? state.phase : null;
    if (parsed instanceof ConfigError || parsed instanceof StackFileError) {
      return {
        configured: null,
        deployed,
        current: deployed,
        allowPhaseSkip: false,
        configError: parsed.message,
      };
    }
    return {
      configured: parsed.phase,
      deployed,
      current: stackPosition(parsed.phase, deployed ?? undefined).current,
      allowPhaseSkip: parsed.allowPhaseSkip,
    };
  }

  /** 422 when the stack cannot run a progressive cutover (no section, wrong phase, interval below the TTL). */
  checkCutover(stack: string, config: MeshliftConfig, dryRun: boolean): void {
    try {
      resolveCutover(config, { dryRun });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      throw validation(
        e.message,
        e.problems.map((p) => ({ path: `config.${p.key}`, given: p.given, message: p.message })),
      );
    }
    const deployed = this.phaseOf(stack).deployed;
    if (!dryRun && deployed !== null && deployed !== "cutover") {
      throw new ServiceError(
        422,
        `stack "${stack}" is deployed at phase "${deployed}": a progressive cutover runs in phase cutover`,
        {
          fields: [{ path: "kind", given: "cutover", message: "needs the deployed phase cutover" }],
        },
      );
    }
  }

  /**
   * 422 for bad config or a refused phase change. Returns the stack as loaded for the run (the plan
   * runner plans from it without reading it again) and the transition that will happen.
   */
  checkConfigAndPhase(
    stack: string,
    kind: OperationKind,
    config: Record<string, string>,
    phase: Phase | undefined,
  ): { loaded: LoadedStack; move?: { from: Phase; to: Phase } } {
    const file = this.stackFile(stack);
    if (file.parsed instanceof StackFileError) {
      throw validation(file.parsed.message, [
        { path: "stack file", message: `fix ${file.parsed.file} first: ${file.parsed.reason}` },
      ]);
    }
    const merged = { ...file.flat, ...config };
    if (phase) merged["meshlift:phase"] = phase;
    let target: MeshliftConfig;
    try {
      target = parseConfig(stack, merged, { projectDir: this.projectDir });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      throw validation(
        e.message,
        e.problems.map((p) => ({
          path: `config.${p.key}`,
          given: p.given,
          message: p.message,
        })),
      );
    }
    const loaded: LoadedStack = { flat: merged, secretKeys: file.secretKeys, config: target };
    if (!PHASED_KINDS.has(kind)) return { loaded };
    const current = this.phaseOf(stack).current ?? undefined;
    if (current === undefined) return { loaded };
    const refused = planPhase(target, { known: true, outputs: { phase: current } }).refused;
    if (refused instanceof TransitionError) {
      const t = refused.transition;
      throw new ServiceError(422, t.message, {
        fields: [{ path: "phase", given: target.phase, message: t.message }],
        from: t.from,
        to: t.to,
        next: t.next ?? null,
      });
    }
    return { loaded, move: { from: current, to: target.phase } };
  }
}
