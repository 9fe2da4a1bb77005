// Registers `meshlift completion bash|zsh|fish` and the hidden stack lister its scripts call; the work is in cli/commands/completion.ts.
import { Argument, Command } from "commander";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** The hidden command the scripts call, when a stack name is completed, to list stacks/Pulumi.<name>.yaml. */
export const STACKS_COMMAND = "__stacks";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/completion") as typeof import("../commands/completion");

export function registerCompletion(program: Command): void {
  program
    .command("completion")
    .description("Print a shell completion script (commands, flags, stack names)")
    .addArgument(new Argument("<shell>", "the shell to complete in").choices(SHELLS))
    .addHelpText(
      "after",
      `
Load it in the current shell, or add the line to your shell's start-up file:
  bash:  source <(meshlift completion bash)      (~/.bashrc)
  zsh:   source <(meshlift completion zsh)       (~/.zshrc)
  fish:  meshlift completion fish | source       (~/.config/fish/config.fish)`,
    )
    .action((shell: Shell) => work().runCompletion(shell, program));
  // Called by the scripts when a stack name is completed: reads stacks/ then, so new stacks complete.
  program
    .command(STACKS_COMMAND, { hidden: true })
    .description("list the stacks (stacks/Pulumi.<name>.yaml), one a line")
    .action(() => work().runListStacks());
}
