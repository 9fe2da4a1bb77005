// A mock monitor that records what the engine would see: parents, dependencies, providers, protect.
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as pulumi from "@pulumi/pulumi";
import { COMPUTED } from "./mocks";
import { SECRET_PLACEHOLDER } from "../config/stack-file";

const { specialSigKey: SIG_KEY, specialSecretSig: SECRET_SIG } = pulumi.runtime;
const { specialResourceSig: RESOURCE_SIG, unknownValue: UNKNOWN } = pulumi.runtime;

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  custom: boolean;
  inputs: Record<string, unknown>;
  /** URNs this resource depends on: explicit dependsOn, inputs' sources and its provider. */
  dependsOn: string[];
  /** Provider URN, or null for the default provider. */
  provider: string | null;
  protect: boolean;
  /** Names of inputs that held secrets (their values read "[secret]"). */
  secretInputs: string[];
}

interface Req {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(fn: (v: { getUrnsList(): string[] }, k: string) => void): void;
  };
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

type Callback = (err: unknown, resp?: { getUrn(): string }) => void;

export class RecordingMonitor extends MockMonitor {
  readonly recorded: RecordedResource[] = [];
  stackOutputs: Record<string, unknown> = {};

  constructor(mocks: pulumi.runtime.Mocks) {
    super(mocks);
  }

  override async registerResource(req: Req, callback: Callback): Promise<void> {
    const secretInputs: string[] = [];
    const raw = req.getObject()?.toJavaScript() ?? {};
    const inputs = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => {
        const { value, secret } = clean(v);
        if (secret) secretInputs.push(k);
        return [k, value];
      }),
    );
    const deps = new Set(req.getDependenciesList());
    req.getPropertydependenciesMap().forEach((v) => v.getUrnsList().forEach((u) => deps.add(u)));
    const provider = req.getProvider()
      ? req.getProvider().split("::").slice(0, -1).join("::")
      : null;
    if (provider) deps.add(provider);
    const entry: RecordedResource = {
      urn: "",
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || null,
      custom: req.getCustom(),
      inputs,
      dependsOn: [...deps].filter((d) => d !== "").sort(),
      provider,
      protect: req.getProtect(),
      secretInputs,
    };
    return super.registerResource(req, (err: unknown, resp?: { getUrn(): string }) => {
      if (!err && resp) {
        entry.urn = resp.getUrn();
        this.recorded.push(entry);
      }
      callback(err, resp);
    });
  }

  override registerResourceOutputs(
    req: {
      getUrn(): string;
      getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
    },
    callback: (err: unknown, resp?: unknown) => void,
  ): void {
    const urn = req.getUrn();
    if (urn.split("::")[2] === "pulumi:pulumi:Stack") {
      this.stackOutputs = clean(req.getOutputs()?.toJavaScript() ?? {}).value as Record<
        string,
        unknown
      >;
    }
    super.registerResourceOutputs(req, callback);
  }
}

/** Replaces secrets, unknowns and resource references by readable stand-ins. */
export function clean(v: unknown): { value: unknown; secret: boolean } {
  let secret = false;
  const walk = (x: unknown): unknown => {
    if (x === UNKNOWN) return COMPUTED;
    if (Array.isArray(x)) return x.map(walk);
    if (typeof x === "object" && x !== null) {
      const o = x as Record<string, unknown>;
      if (o[SIG_KEY] === SECRET_SIG) {
        secret = true;
        return SECRET_PLACEHOLDER;
      }
      if (o[SIG_KEY] === RESOURCE_SIG) return o.urn;
      return Object.fromEntries(Object.entries(o).map(([k, y]) => [k, walk(y)]));
    }
    return x;
  };
  const value = walk(v);
  return { value, secret };
}
