// A mock monitor that records what the engine would see: parents, dependencies, providers, protect.
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as pulumi from "@pulumi/pulumi";
import { COMPUTED } from "./computed";
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
  /** Resource options as registered; a key is present only when the option is set. */
  options: ResourceOptionsRecord;
}

/** An alias as registered: the old URN, or the parts of the old identity that differ. */
export type AliasRecord =
  | string
  | {
      name?: string;
      type?: string;
      stack?: string;
      project?: string;
      parentUrn?: string;
      noParent?: true;
    };

/** The options of a registration that decide what the engine does on replace and delete. */
export interface ResourceOptionsRecord {
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges?: string[];
  /** The import id. */
  import?: string;
  replaceOnChanges?: string[];
  aliases?: AliasRecord[];
}

interface AliasMsg {
  getUrn(): string;
  hasSpec(): boolean;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        getParenturn(): string;
        getNoparent(): boolean;
      }
    | undefined;
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
  hasRetainondelete(): boolean;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getIgnorechangesList(): string[];
  getImportid(): string;
  getReplaceonchangesList(): string[];
  getAliasesList(): AliasMsg[];
  getAliasurnsList(): string[];
}

/** Reads the options off a RegisterResourceRequest, leaving out the ones that are unset. */
function registeredOptions(req: Req): ResourceOptionsRecord {
  const o: ResourceOptionsRecord = {};
  if (req.hasRetainondelete()) o.retainOnDelete = Boolean(req.getRetainondelete());
  if (req.getDeletebeforereplacedefined()) o.deleteBeforeReplace = req.getDeletebeforereplace();
  if (req.getIgnorechangesList().length) o.ignoreChanges = [...req.getIgnorechangesList()];
  if (req.getImportid()) o.import = req.getImportid();
  if (req.getReplaceonchangesList().length) o.replaceOnChanges = [...req.getReplaceonchangesList()];
  const aliases: AliasRecord[] = [
    ...req.getAliasurnsList(),
    ...req.getAliasesList().map((a): AliasRecord => {
      const spec = a.hasSpec() ? a.getSpec() : undefined;
      if (!spec) return a.getUrn();
      const rec: Exclude<AliasRecord, string> = {};
      if (spec.getName()) rec.name = spec.getName();
      if (spec.getType()) rec.type = spec.getType();
      if (spec.getStack()) rec.stack = spec.getStack();
      if (spec.getProject()) rec.project = spec.getProject();
      if (spec.getParenturn()) rec.parentUrn = spec.getParenturn();
      if (spec.getNoparent()) rec.noParent = true;
      return rec;
    }),
  ];
  if (aliases.length) o.aliases = aliases;
  return o;
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
        const { value, secret } = replaceWithStandIns(v);
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
      options: registeredOptions(req),
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
      this.stackOutputs = replaceWithStandIns(req.getOutputs()?.toJavaScript() ?? {})
        .value as Record<string, unknown>;
    }
    super.registerResourceOutputs(req, callback);
  }
}

/** Replaces secrets, unknowns and resource references by readable stand-ins. */
export function replaceWithStandIns(v: unknown): { value: unknown; secret: boolean } {
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
