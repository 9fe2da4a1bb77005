// Builds one component on its own under Pulumi mocks and records what it registers (type, name, inputs), for the component tests that construct the unit they are named after.
import * as pulumi from "@pulumi/pulumi";
import { RecordedResource, RecordingMonitor } from "../../plan/recorder";

/** A resource as the mocks' newResource sees it. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** The provider reference (`<urn>::<id>`) it was registered with, if any. */
  readonly provider?: string;
  /** The ID a read (`Resource.get`) asked for; absent for a resource the program creates. */
  readonly id?: string;
}

export function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
  return (o as unknown as { promise(): Promise<T> }).promise();
}

export function isSecret(o: pulumi.Output<unknown>): Promise<boolean> {
  return (o as unknown as { isSecret: Promise<boolean> }).isSecret;
}

export interface BuildOptions<T> {
  /** The outputs to wait for before reading what was registered (e.g. the last child's urn). */
  readonly settle: (component: T) => pulumi.Output<unknown>[];
  /** Output properties a resource's mock state adds to its inputs. @default none */
  readonly state?: (r: Registered) => Record<string, unknown>;
  /** Results of invokes, by token (e.g. aws:index/getPartition:getPartition). @default {} */
  readonly invokes?: Readonly<Record<string, Record<string, unknown>>>;
}

function mocksFor<T>(opts: BuildOptions<T>, registered: Registered[]): pulumi.runtime.Mocks {
  return {
    newResource(a) {
      const r: Registered = {
        type: a.type,
        name: a.name,
        inputs: a.inputs as Record<string, unknown>,
        provider: a.provider,
        ...(a.id ? { id: a.id } : {}),
      };
      registered.push(r);
      return { id: a.id || `${a.name}-id`, state: { ...a.inputs, ...opts.state?.(r) } };
    },
    call(a) {
      const result = opts.invokes?.[a.token];
      if (!result) throw new Error(`unmocked invoke ${a.token}`);
      return result;
    },
  };
}

/**
 * Sets fresh mocks, runs `make` and waits for `settle`. An invoke with no result given fails the
 * test (as plan/mocks.ts does), so a component cannot lean on an answer nobody checked.
 */
export async function buildUnderMocks<T>(
  make: () => T,
  opts: BuildOptions<T>,
): Promise<{ component: T; registered: Registered[] }> {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks(mocksFor(opts, registered), "meshlift", "t", false);
  const component = make();
  await Promise.all(opts.settle(component).map((o) => promiseOf(o)));
  return { component, registered };
}

/**
 * As buildUnderMocks, inside a stack under plan/recorder's monitor, so a test also sees what only the
 * engine is told: each resource's parent, provider and dependsOn (the mocks' newResource sees none).
 */
export async function recordUnderMocks<T>(
  make: () => T,
  opts: BuildOptions<T>,
): Promise<{ component: T; registered: Registered[]; recorded: RecordedResource[] }> {
  const registered: Registered[] = [];
  const monitor = new RecordingMonitor(mocksFor(opts, registered));
  pulumi.runtime.setMockOptions(monitor, "meshlift", "t", false);
  pulumi.runtime.setAllConfig({}, []);
  let component: T | undefined;
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      component = make();
      await Promise.all(opts.settle(component).map((o) => promiseOf(o)));
      return {};
    });
  } finally {
    await pulumi.runtime.disconnect();
  }
  return { component: component as T, registered, recorded: monitor.recorded };
}

/** The one recorded resource named `name`; fails the test naming what there is. */
export function recordedNamed(
  recorded: readonly RecordedResource[],
  name: string,
): RecordedResource {
  const r = recorded.find((x) => x.name === name);
  if (!r) throw new Error(`no ${name}; have ${recorded.map((x) => x.name).join(", ")}`);
  return r;
}

/** The resources of one type, in registration order. */
export function ofType(registered: readonly Registered[], type: string): Registered[] {
  return registered.filter((r) => r.type === type);
}

/**
 * The options each resource under a component was constructed with (parent, dependsOn, ...), by
 * name, and each resource's name (to read a dependsOn list): pass `transformations` in the
 * component's options; children inherit them.
 */
export function optionsSeen(): {
  transformations: pulumi.ResourceTransformation[];
  seen: Map<string, pulumi.ResourceOptions>;
  names: Map<pulumi.Resource, string>;
} {
  const seen = new Map<string, pulumi.ResourceOptions>();
  const names = new Map<pulumi.Resource, string>();
  return {
    seen,
    names,
    transformations: [
      (a) => {
        seen.set(a.name, a.opts);
        names.set(a.resource, a.name);
        return undefined;
      },
    ],
  };
}
