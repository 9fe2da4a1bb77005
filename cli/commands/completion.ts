// `meshlift completion bash|zsh|fish` at work: a shell completion script generated from the registered commands, flags and choices.
import type { Command } from "commander";
import { listStacks } from "../../config/stack-file";
import { DEFAULT_PROJECT_DIR } from "../../automation/runners/runner";
import { SHELLS, Shell, STACKS_COMMAND } from "../register/completion";

/** Flags whose value is a stack name (or a comma-separated list of them). */
const STACK_FLAGS = new Set(["--stack", "--stacks"]);

export interface FlagSpec {
  readonly long?: string;
  readonly short?: string;
  readonly description: string;
  /** What the flag's value completes to; absent for a flag without a value. */
  readonly value?:
    | { readonly kind: "choices"; readonly choices: readonly string[] }
    | { readonly kind: "stacks" | "files" };
}

export interface CommandSpec {
  /** Words after `meshlift` that name the command; [] for meshlift itself. */
  readonly path: readonly string[];
  readonly subcommands: readonly { readonly name: string; readonly description: string }[];
  readonly flags: readonly FlagSpec[];
}

/** Every word a script embeds: names, flags and choices are code, but a quote in one would break the script. */
const WORD = /^[A-Za-z0-9_.:=/+-]+$/;

function word(w: string): string {
  if (!WORD.test(w))
    throw new Error(`completion: ${JSON.stringify(w)} cannot be embedded in a script`);
  return w;
}

/** The commands, flags and choices registered on `program`, visible ones only. */
export function commandSpecs(program: Command): CommandSpec[] {
  const out: CommandSpec[] = [];
  const walk = (c: Command, path: string[]) => {
    const subs = c.commands.filter((s) => !(s as unknown as { _hidden?: boolean })._hidden);
    const flags: FlagSpec[] = c.options
      .filter((o) => !o.hidden)
      .map((o) => ({
        ...(o.long ? { long: word(o.long) } : {}),
        ...(o.short ? { short: word(o.short) } : {}),
        description: o.description,
        ...(o.required || o.optional
          ? {
              value: o.argChoices
                ? { kind: "choices" as const, choices: o.argChoices.map(word) }
                : {
                    kind:
                      o.long && STACK_FLAGS.has(o.long) ? ("stacks" as const) : ("files" as const),
                  },
            }
          : {}),
      }));
    flags.push({ long: "--help", short: "-h", description: "display help for command" });
    if (path.length === 0)
      flags.push({ long: "--version", short: "-V", description: "output the version" });
    out.push({
      path,
      subcommands: subs.map((s) => ({ name: word(s.name()), description: s.description() })),
      flags,
    });
    for (const s of subs) walk(s, [...path, s.name()]);
  };
  walk(program, []);
  return out;
}

const names = (f: FlagSpec) => [f.long, f.short].filter((x): x is string => x !== undefined);

function bash(specs: readonly CommandSpec[]): string {
  const key = (s: CommandSpec) => JSON.stringify(s.path.join(" "));
  const cases = (fn: (s: CommandSpec) => string) =>
    specs.map((s) => `    ${key(s)}) ${fn(s)} ;;`).join("\n");
  const values = specs.flatMap((s) =>
    s.flags.flatMap((f) => {
      if (!f.value) return [];
      const pattern = names(f)
        .map((n) => JSON.stringify(`${s.path.join(" ")}|${n}`))
        .join("|");
      const what =
        f.value.kind === "choices"
          ? `echo "${f.value.choices.join(" ")}"`
          : f.value.kind === "stacks"
            ? `command meshlift ${STACKS_COMMAND} 2>/dev/null`
            : `echo "@files"`;
      return [`    ${pattern}) ${what} ;;`];
    }),
  );
  return `# meshlift shell completion (bash). Load it with: source <(meshlift completion bash)
_meshlift_subcommands() {
  case "$1" in
${cases((s) => `echo "${s.subcommands.map((c) => c.name).join(" ")}"`)}
  esac
}
_meshlift_flags() {
  case "$1" in
${cases((s) => `echo "${s.flags.flatMap(names).join(" ")}"`)}
  esac
}
# The words to offer as the value of flag $2 of command $1 ("@files" for file names); status 1 when it takes none.
_meshlift_value() {
  case "$1|$2" in
${values.join("\n")}
    *) return 1 ;;
  esac
}
_meshlift() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local path="" i w values
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ "$w" != -* && " $(_meshlift_subcommands "$path") " == *" $w "* ]]; then
      path="\${path:+$path }$w"
    fi
  done
  if [[ "$prev" == -* ]] && values="$(_meshlift_value "$path" "$prev")"; then
    if [[ "$values" == "@files" ]]; then
      COMPREPLY=($(compgen -f -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$values" -- "$cur"))
    fi
  elif [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_meshlift_flags "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_meshlift_subcommands "$path")" -- "$cur"))
  fi
}
complete -F _meshlift meshlift
`;
}

/** zsh runs the bash functions through its bashcompinit layer (as kubectl and helm once did). */
function zsh(specs: readonly CommandSpec[]): string {
  return `#compdef meshlift
# meshlift shell completion (zsh). Load it with: source <(meshlift completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash(specs).split("\n").slice(1).join("\n")}`;
}

/** A fish single-quoted string. */
const fishQuote = (s: string) => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;

function fish(specs: readonly CommandSpec[]): string {
  const lines = [
    "# meshlift shell completion (fish). Load it with: meshlift completion fish | source",
    "complete -c meshlift -f",
  ];
  for (const s of specs) {
    const inPath = s.path.map((p) => `__fish_seen_subcommand_from ${p}`);
    const here = s.path.length === 0 ? ["__fish_use_subcommand"] : inPath;
    const subNames = s.subcommands.map((c) => c.name).join(" ");
    // Below the top level, offer a subcommand only until one is given (the top level has its own test).
    const atSub =
      subNames && s.path.length > 0
        ? [...here, `not __fish_seen_subcommand_from ${subNames}`]
        : here;
    for (const c of s.subcommands)
      lines.push(
        `complete -c meshlift -n ${fishQuote(atSub.join("; and "))} -a ${c.name} -d ${fishQuote(c.description)}`,
      );
    for (const f of s.flags) {
      const opts = [
        f.long ? `-l ${f.long.slice(2)}` : "",
        f.short ? `-s ${f.short.slice(1)}` : "",
        !f.value
          ? ""
          : f.value.kind === "choices"
            ? `-x -a ${fishQuote(f.value.choices.join(" "))}`
            : f.value.kind === "stacks"
              ? `-x -a ${fishQuote(`(command meshlift ${STACKS_COMMAND} 2>/dev/null)`)}`
              : "-r -F",
      ].filter(Boolean);
      lines.push(
        `complete -c meshlift -n ${fishQuote(atSub.join("; and "))} ${opts.join(" ")} -d ${fishQuote(f.description)}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

export function completionScript(shell: Shell, program: Command): string {
  const specs = commandSpecs(program);
  switch (shell) {
    case "bash":
      return bash(specs);
    case "zsh":
      return zsh(specs);
    case "fish":
      return fish(specs);
    default: {
      const never: never = shell;
      throw new Error(`unknown shell ${JSON.stringify(never)}: one of ${SHELLS.join(", ")}`);
    }
  }
}

export function runCompletion(shell: Shell, program: Command): void {
  process.stdout.write(completionScript(shell, program));
}

/** One stack name a line, for the completion scripts. */
export function runListStacks(projectDir: string = DEFAULT_PROJECT_DIR): void {
  const stacks = listStacks(projectDir);
  if (stacks.length) process.stdout.write(`${stacks.join("\n")}\n`);
}
