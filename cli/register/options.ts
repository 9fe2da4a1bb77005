// Option parsers shared by the command registrations: commander only, so that `--help` stays cheap.
import { Option } from "commander";
import { TARGETS } from "../../appmesh/types";

/** A repeatable flag (`-f a -f b`) collected into a list. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `-t, --target`: what the converter emits (precheck also takes `all`). */
export function targetOption(help: string, all = false): Option {
  return new Option("-t, --target <target>", help).choices(all ? [...TARGETS, "all"] : TARGETS);
}

/** `-s, --stack`: the target from a stack's `istio.mode` when `--target` is not given. */
export function stackTargetOption(): Option {
  return new Option(
    "-s, --stack <stack>",
    "take the target from this stack's istio.mode and istio.ingressApi (stacks/Pulumi.<stack>.yaml)",
  );
}
