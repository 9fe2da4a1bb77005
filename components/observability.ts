// Observability: Prometheus with Istio monitors, Kiali, tracing (Telemetry + Jaeger), CloudWatch Container Insights.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { helmReleaseArgs } from "../builders/helm";
import { ObservabilityConfig, observabilityProblems } from "../config/sections/observability";
import { CHARTS, CLOUDWATCH_ADDON } from "../config/versions";
import { IrsaRole } from "./irsa-role";
import { ISTIO_NAMESPACE } from "../builders/istio-common";
import {
  CLOUDWATCH_AGENT,
  GRAFANA_ADMIN_SECRET,
  istioMonitors,
  KIALI_SIGNING_KEY_LENGTH,
  KIALI_SIGNING_KEY_SECRET,
  jaegerManifests,
  kialiValues,
  OBS_RELEASES,
  prometheusValues,
  tracingTelemetry,
} from "../builders/observability";
import { NamespacedObject } from "../builders/istio-common";

export interface ObservabilityArgs {
  /** The resolved `meshlift:observability` section. */
  readonly observability: ObservabilityConfig;
  /** The EKS cluster's name, for the Container Insights add-on. */
  readonly clusterName: pulumi.Input<string>;
  /** The cluster's IAM OIDC provider, for the CloudWatch agent's IRSA role. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer (without https://). */
  readonly oidcIssuer: pulumi.Input<string>;
  /** What each child waits for. @default {} */
  readonly dependsOn?: {
    /** Kiali reads the Istio CRDs: istio-base's release. @default [] */
    readonly kiali?: pulumi.Resource[];
    /** Telemetry needs istiod's CRDs and webhook, and istiod's meshConfig names the tracing provider. @default [] */
    readonly telemetry?: pulumi.Resource[];
    /** Jaeger lives in istio-system: its Namespace. @default [] */
    readonly jaeger?: pulumi.Resource[];
    /** The add-on only becomes healthy with nodes to run on: the node groups. @default [] */
    readonly containerInsights?: pulumi.Resource[];
  };
  /** Tags for the AWS resources (IRSA role, add-on). @default {} */
  readonly tags?: Record<string, string>;
}

/** Takes the cluster's Kubernetes provider through `opts.providers`, like every component here. */
export class Observability extends pulumi.ComponentResource {
  public readonly prometheus?: k8s.helm.v3.Release;
  public readonly kiali?: k8s.helm.v3.Release;
  public readonly telemetry?: k8s.apiextensions.CustomResource;
  public readonly containerInsights?: aws.eks.Addon;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:observability:Observability", name, {}, opts);
    const o = args.observability;
    // config/load.ts reports these; a caller that builds the section itself would otherwise get
    // Kiali reading a Prometheus that does not exist, or Grafana silently left out.
    const problems = observabilityProblems(o);
    if (problems.length > 0) {
      throw new pulumi.ResourceError(
        `Observability ${name}: ${problems.map((p) => `${p.key}: ${p.message}`).join("; ")}`,
        this,
      );
    }
    const k = { parent: this };
    const after = args.dependsOn ?? {};
    const custom = (o: NamespacedObject, dependsOn: pulumi.Resource[]) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${o.kind.toLowerCase()}-${o.metadata.name}`,
        { ...o, metadata: { ...o.metadata } },
        { ...k, dependsOn },
      );

    if (o.prometheus) {
      const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: o.namespace } }, k);
      const grafanaAdmin = o.grafana ? [this.grafanaAdmin(name, o.namespace, ns, k)] : [];
      this.prometheus = new k8s.helm.v3.Release(
        `${name}-prometheus`,
        helmReleaseArgs(
          CHARTS.kubePrometheusStack,
          OBS_RELEASES.prometheus,
          o.namespace,
          prometheusValues(o),
        ),
        { ...k, dependsOn: [ns, ...grafanaAdmin] },
      );
      // The monitor CRDs come with the chart.
      const prometheus = this.prometheus;
      istioMonitors(o.namespace).forEach((m) => custom(m, [prometheus]));
    }

    if (o.tracing) {
      if (!o.otlp) {
        const jaeger = jaegerManifests();
        const deps = { ...k, dependsOn: after.jaeger ?? [] };
        new k8s.apps.v1.Deployment(`${name}-jaeger`, jaeger.deployment, deps);
        for (const svc of jaeger.services) {
          new k8s.core.v1.Service(`${name}-jaeger-${svc.name}`, svc.body, deps);
        }
      }
      this.telemetry = custom(tracingTelemetry(o), after.telemetry ?? []);
    }

    if (o.kiali) {
      // Generated once and kept in the stack's state: upgrades keep everyone logged in. It goes
      // in a Secret the chart mounts, never in the Helm values (Helm keeps those in its records).
      const signingKey = new random.RandomPassword(
        `${name}-kiali-signing-key`,
        { length: KIALI_SIGNING_KEY_LENGTH, special: false },
        { parent: this },
      );
      const keySecret = new k8s.core.v1.Secret(
        `${name}-kiali-signing-key`,
        {
          metadata: { name: KIALI_SIGNING_KEY_SECRET.name, namespace: ISTIO_NAMESPACE },
          stringData: { [KIALI_SIGNING_KEY_SECRET.key]: pulumi.secret(signingKey.result) },
        },
        { ...k, dependsOn: after.kiali ?? [] },
      );
      this.kiali = new k8s.helm.v3.Release(
        `${name}-kiali`,
        helmReleaseArgs(CHARTS.kiali, OBS_RELEASES.kiali, ISTIO_NAMESPACE, kialiValues(o)),
        { ...k, dependsOn: [...(after.kiali ?? []), keySecret] },
      );
    }

    if (o.containerInsights) {
      const irsa = new IrsaRole(
        `${name}-cloudwatch-irsa`,
        {
          oidcProviderArn: args.oidcProviderArn,
          oidcIssuer: args.oidcIssuer,
          namespace: CLOUDWATCH_AGENT.namespace,
          serviceAccountName: CLOUDWATCH_AGENT.serviceAccount,
          managedPolicyArns: CLOUDWATCH_AGENT.managedPolicies,
          // The add-on creates its ServiceAccount and annotates it with serviceAccountRoleArn.
          createServiceAccount: false,
          tags: args.tags,
        },
        { parent: this },
      );
      this.containerInsights = new aws.eks.Addon(
        `${name}-cloudwatch`,
        {
          clusterName: args.clusterName,
          addonName: CLOUDWATCH_ADDON,
          serviceAccountRoleArn: irsa.roleArn,
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "PRESERVE",
          tags: args.tags ?? {},
        },
        { parent: this, dependsOn: [irsa, ...(after.containerInsights ?? [])] },
      );
    }
    this.registerOutputs({});
  }

  /** Grafana's admin login: a generated password (a Pulumi secret) in the Secret the chart reads. */
  private grafanaAdmin(
    name: string,
    namespace: string,
    ns: k8s.core.v1.Namespace,
    k: { parent: pulumi.Resource },
  ): k8s.core.v1.Secret {
    const password = new random.RandomPassword(
      `${name}-grafana-admin-password`,
      { length: 32, special: false },
      { parent: this },
    );
    return new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: GRAFANA_ADMIN_SECRET.name, namespace },
        stringData: {
          [GRAFANA_ADMIN_SECRET.userKey]: "admin",
          [GRAFANA_ADMIN_SECRET.passwordKey]: pulumi.secret(password.result),
        },
      },
      { ...k, dependsOn: [ns] },
    );
  }
}
