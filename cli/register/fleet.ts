// Registers `meshlift fleet render` (flags and help only); the work is in cli/commands/fleet.ts, loaded when it runs.
import { Command, Option } from "commander";
import type { FleetRenderFlags } from "../commands/fleet";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/fleet") as typeof import("../commands/fleet");

export function registerFleet(program: Command): void {
  const fleet = program
    .command("fleet")
    .description("Run every environment's stack on the Pulumi Kubernetes Operator");
  fleet
    .command("render")
    .description(
      "Write per environment a pulumi.com/v1 Stack, its ServiceAccount, RBAC binding and IAM role (and, on request, the operator's release)",
    )
    .requiredOption("--stacks <list>", "comma-separated stack names (stacks/Pulumi.<stack>.yaml)")
    .addOption(
      new Option("--source <kind>", "where workspaces fetch the project")
        .choices(["git", "flux"])
        .makeOptionMandatory(),
    )
    .requiredOption("--out <dir>", "output directory (new, empty, or an earlier render)")
    .option("--repo <url>", "git repository of this project (--source git)")
    .option("--branch <branch>", "branch the operator follows (--source git)")
    .option("--repo-dir <dir>", "directory of Pulumi.yaml inside the repository")
    .addOption(
      new Option("--git-auth <type>", "git credentials in a Secret").choices([
        "token",
        "ssh",
        "basic",
      ]),
    )
    .option("--git-auth-secret <name>", "Secret holding the git credentials")
    .option(
      "--flux-kind <kind>",
      "Flux source kind: GitRepository, OCIRepository or Bucket (--source flux)",
    )
    .option("--flux-name <name>", "Flux source object name (--source flux)")
    .option(
      "--flux-api-version <v>",
      "Flux source API version (default source.toolkit.fluxcd.io/v1)",
    )
    .option("--flux-dir <dir>", "directory of Pulumi.yaml inside the Flux artifact")
    .option("--namespace <ns>", "namespace of the Stack objects (default meshlift-fleet)")
    .option(
      "--backend <url>",
      "Pulumi backend: https://api.pulumi.com (default), s3://bucket/prefix, ...",
    )
    .option("--org <org>", "Pulumi organization (default organization)")
    .option("--secrets-provider <p>", "passphrase, default, or awskms://... (default: by backend)")
    .option(
      "--credentials-secret <name>",
      "Secret with accessToken / passphrase (default meshlift-fleet-credentials)",
    )
    .addOption(
      new Option("--identity <mode>", "how workspace pods get AWS credentials")
        .choices(["irsa", "pod-identity"])
        .default("irsa"),
    )
    .option("--account-id <id>", "AWS account of the workspace IAM roles")
    .option("--oidc-issuer <url>", "management cluster's OIDC issuer (--identity irsa)")
    .option("--cluster-name <name>", "management cluster (--identity pod-identity)")
    .option(
      "--role-prefix <prefix>",
      "IAM role names are <prefix><stack> (default meshlift-fleet-)",
    )
    .option("--role-policy-arn <arn...>", "managed policies for the workspace roles")
    .option("--workspace-image <image>", "workspace image, pinned (default in config/versions.ts)")
    .option("--resync-seconds <n>", "how often the operator polls and re-runs (60 to 86400)")
    .option(
      "--operator",
      "also render the operator's Helm release (chart pinned in config/versions.ts)",
    )
    .option(
      "--operator-namespace <ns>",
      "namespace of the operator (default pulumi-kubernetes-operator)",
    )
    .option("--project-dir <dir>", "directory with Pulumi.yaml and stacks/ (default this project)")
    .action((flags: FleetRenderFlags) => work().runFleetRender(flags));
}
