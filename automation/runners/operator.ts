// The operator runner: an up is a patch of the environment's pulumi.com/v1 Stack, followed through its status until the operator's update ends.
import { kubeClient, KubeClient } from "../../discover/kube-client";
import { stackObjectName } from "../../fleet/identity";
import {
  configPatch,
  OPERATION_ANNOTATION,
  OperatorError,
  operatorOutputs,
  RECONCILE_REQUEST,
  statusLine,
  statusView,
  StackStatusView,
  updateOutcome,
} from "../../fleet/stack-status";
import {
  CancelledError,
  OperationKind,
  Runner,
  RunRequest,
  RunResult,
  StackOutput,
} from "./runner";
import { qualifyKey } from "../../config/stack-file";

export interface OperatorRunnerOptions {
  /** Namespace of the fleet's Stack objects. @default meshlift-fleet */
  readonly namespace?: string;
  /** Kubeconfig file of the management cluster. @default KUBECONFIG, ~/.kube/config, or in-cluster */
  readonly kubeconfig?: string;
  /** How long one update may take before the operation fails (the operator keeps going). @default 3 h */
  readonly timeoutSeconds?: number;
  /** How often the Stack is read again when its watch shows nothing. @default 30 s */
  readonly resyncSeconds?: number;
}

const GROUP = "pulumi.com";
const VERSION = "v1";
const PLURAL = "stacks";

type Kube = {
  k8s: KubeClient;
  kc: InstanceType<KubeClient["KubeConfig"]>;
  api: InstanceType<KubeClient["CustomObjectsApi"]>;
};

type StackObject = {
  metadata: {
    name: string;
    resourceVersion?: string;
    generation?: number;
    annotations?: Record<string, string>;
  };
  spec?: { config?: unknown };
  status?: unknown;
};

/** The HTTP status of a client error, when the API server answered. */
function httpCode(e: unknown): number | undefined {
  const code = (e as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
}

export class OperatorRunner implements Runner {
  readonly namespace: string;
  private readonly timeoutMs: number;
  private readonly resyncMs: number;
  private kube?: Promise<Kube>;
  private requests = 0;

  constructor(private readonly opts: OperatorRunnerOptions = {}) {
    this.namespace = opts.namespace ?? "meshlift-fleet";
    this.timeoutMs = (opts.timeoutSeconds ?? 3 * 3600) * 1000;
    this.resyncMs = (opts.resyncSeconds ?? 30) * 1000;
  }

  unavailable(kind: OperationKind): Error | undefined {
    switch (kind) {
      case "up":
        return undefined;
      case "plan":
        return new Error('"plan" is offline; the operator runner does not run it');
      case "preview":
        return new Error(
          'the operator runs updates only: use "plan" for what a change would do (offline), or pulumi preview against the backend',
        );
      case "refresh":
        return new Error(
          "the operator refreshes before every update (the Stack's refresh: true); submit an up",
        );
      case "destroy":
        return new Error(
          "the fleet's Stacks never destroy (destroyOnFinalize: false, on purpose): run pulumi destroy against the backend, then delete the Stack object",
        );
      case "cutover":
        return new Error('"cutover" is a series of up runs; the cutover runner drives it');
      default: {
        const never: never = kind;
        throw new Error(`unknown operation kind ${String(never)}`);
      }
    }
  }

  private client(): Promise<Kube> {
    this.kube ??= kubeClient().then((k8s) => {
      const kc = new k8s.KubeConfig();
      if (this.opts.kubeconfig) kc.loadFromFile(this.opts.kubeconfig);
      else kc.loadFromDefault();
      return { k8s, kc, api: kc.makeApiClient(k8s.CustomObjectsApi) };
    });
    return this.kube;
  }

  private async read(kube: Kube, name: string): Promise<StackObject> {
    try {
      return (await kube.api.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: this.namespace,
        plural: PLURAL,
        name,
      })) as StackObject;
    } catch (e) {
      if (httpCode(e) === 404) {
        throw new OperatorError(
          `no Stack ${this.namespace}/${name} on the management cluster: render the fleet (meshlift fleet render) and apply it`,
        );
      }
      throw e;
    }
  }

  /** The stack's outputs as the operator last reported them. */
  async outputs(stack: string): Promise<Record<string, StackOutput>> {
    const kube = await this.client();
    return operatorOutputs(statusView(await this.read(kube, stackObjectName(stack))).outputs);
  }

  async run(req: RunRequest): Promise<RunResult> {
    const unavailable = this.unavailable(req.kind);
    if (unavailable) throw unavailable;
    if (req.signal.aborted) throw new CancelledError();
    const kube = await this.client();
    const name = stackObjectName(req.stack);
    const started = Date.now();
    let sequence = 0;
    const emit = (e: Record<string, unknown>) =>
      req.onEvent({ sequence: sequence++, timestamp: Math.floor(Date.now() / 1000), ...e });

    const changes: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.config ?? {})) changes[qualifyKey(k)] = v;
    if (req.phase) changes["meshlift:phase"] = req.phase;
    const before = await this.read(kube, name);
    // A new request id makes the operator run even when the config is unchanged; it is also how
    // the status below is matched to this update and no other.
    this.requests += 1;
    const request = `meshlift-${started.toString(36)}-${this.requests}`;
    const patch = {
      metadata: {
        // Refused (409) if anyone changed the Stack since it was read: their change is not overwritten.
        resourceVersion: before.metadata.resourceVersion,
        annotations: { [RECONCILE_REQUEST]: request, [OPERATION_ANNOTATION]: request },
      },
      spec: { config: configPatch(before.spec?.config, changes) },
    };
    let patched: StackObject;
    try {
      patched = (await kube.api.patchNamespacedCustomObject(
        {
          group: GROUP,
          version: VERSION,
          namespace: this.namespace,
          plural: PLURAL,
          name,
          body: patch,
        },
        kube.k8s.setHeaderOptions("Content-Type", kube.k8s.PatchStrategy.MergePatch),
      )) as StackObject;
    } catch (e) {
      if (httpCode(e) === 409) {
        throw new OperatorError(
          `the Stack ${this.namespace}/${name} changed while it was being patched; nothing was changed, submit again`,
        );
      }
      throw e;
    }
    const want = { generation: patched.metadata.generation ?? 0, request };
    emit({
      preludeEvent: { config: changes },
      operatorEvent: {
        stack: `${this.namespace}/${name}`,
        patched: true,
        generation: want.generation,
        request,
      },
    });

    let current = patched;
    let last = "";
    const deadline = started + this.timeoutMs;
    for (;;) {
      const view = statusView(current);
      const line = statusLine(view);
      if (line !== last) {
        last = line;
        emit(statusEvent(`${this.namespace}/${name}`, view, line));
      }
      const outcome = updateOutcome(view, want);
      if (outcome.done) {
        if (!outcome.ok) {
          emit({ diagnosticEvent: { severity: "error", message: outcome.message } });
          throw new OperatorError(outcome.message);
        }
        return {
          summary: {
            runner: "operator",
            stack: `${this.namespace}/${name}`,
            generation: want.generation,
            update: outcome.update ?? null,
            permalink: outcome.permalink ?? null,
            seconds: Math.round((Date.now() - started) / 1000),
          },
          outputs: operatorOutputs(outcome.outputs),
        };
      }
      if (Date.now() > deadline) {
        throw new OperatorError(
          `no result from the operator after ${Math.round(this.timeoutMs / 60000)} min (${line}); it keeps working: kubectl -n ${this.namespace} get stack ${name}`,
        );
      }
      current = await this.nextChange(
        kube,
        current,
        Math.min(this.resyncMs, deadline - Date.now()),
        req.signal,
      );
    }
  }

  /**
   * The Stack once it changes after `seen` (watched from its resourceVersion, so nothing between
   * two reads is missed), or read again after `waitMs` when the watch shows nothing or drops.
   */
  private async nextChange(
    kube: Kube,
    seen: StackObject,
    waitMs: number,
    signal: AbortSignal,
  ): Promise<StackObject> {
    const name = seen.metadata.name;
    const changed = await new Promise<StackObject | undefined>((resolve, reject) => {
      let controller: AbortController | undefined;
      let finished = false;
      const finish = (v: StackObject | undefined, err?: Error) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        controller?.abort();
        if (err) reject(err);
        else resolve(v);
      };
      const onAbort = () =>
        finish(
          undefined,
          new CancelledError(
            `cancelled: meshlift stopped following the Stack; the operator may still run the update (kubectl -n ${this.namespace} get stack ${name})`,
          ),
        );
      const timer = setTimeout(() => finish(undefined), Math.max(0, waitMs));
      signal.addEventListener("abort", onAbort);
      // A cancel that came in while the Stack was read or patched.
      if (signal.aborted) onAbort();
      new kube.k8s.Watch(kube.kc)
        .watch(
          `/apis/${GROUP}/${VERSION}/namespaces/${this.namespace}/${PLURAL}`,
          {
            fieldSelector: `metadata.name=${name}`,
            resourceVersion: seen.metadata.resourceVersion,
          },
          (type: string, obj: StackObject) => {
            if (type === "DELETED") {
              finish(
                undefined,
                new OperatorError(
                  `the Stack ${this.namespace}/${name} was deleted during the update`,
                ),
              );
            } else if (type === "ADDED" || type === "MODIFIED") finish(obj);
          },
          // A dropped or expired (410) watch: read the Stack again.
          () => finish(undefined),
        )
        .then(
          (c) => {
            controller = c;
            if (finished) c.abort();
          },
          () => finish(undefined),
        );
    });
    return changed ?? this.read(kube, name);
  }
}

/** The Stack's status as one engine-shaped event: the structured view, and the line people read. */
function statusEvent(stack: string, v: StackStatusView, line: string): Record<string, unknown> {
  return {
    operatorEvent: {
      stack,
      generation: v.generation,
      observedGeneration: v.observedGeneration ?? null,
      conditions: v.conditions,
      lastUpdate: v.lastUpdate ?? null,
    },
    diagnosticEvent: { severity: "info", message: line },
  };
}
