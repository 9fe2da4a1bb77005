// The `meshlift:observability` section: Prometheus, Kiali, tracing, Container Insights; each on by default in dev.
import { z } from "zod";
import { ConfigProblem } from "../errors";
import { dnsLabel } from "./k8s-common";

const toggle = z.object({ enabled: z.boolean().optional() }).strict();

export const observabilitySchema = z
  .object({
    /** kube-prometheus-stack plus the Istio ServiceMonitor/PodMonitor. @default on in dev */
    prometheus: toggle.prefault({}),
    /**
     * kube-prometheus-stack's Grafana, with a generated admin password (a Pulumi secret, in a
     * Secret the chart reads), never the chart's well-known one. @default off
     */
    grafana: z
      .object({ enabled: z.boolean().default(false) })
      .strict()
      .prefault({}),
    kiali: z
      .object({
        /** @default on in dev */
        enabled: z.boolean().optional(),
        /** A Prometheus Kiali reads instead of the one meshlift installs. */
        prometheusUrl: z.url().optional(),
      })
      .strict()
      .prefault({}),
    tracing: z
      .object({
        /** @default on in dev */
        enabled: z.boolean().optional(),
        /** Share of requests traced (Telemetry randomSamplingPercentage). @default 1 */
        samplingPercentage: z.number().min(0).max(100).default(1),
        /** An OpenTelemetry (OTLP gRPC) collector to send spans to; in-cluster Jaeger when absent. */
        otlp: z
          .object({
            /** Service FQDN, e.g. otel-collector.observability.svc.cluster.local */
            service: z
              .string()
              .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a service host name"),
            port: z.number().int().min(1).max(65535).default(4317),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    /** CloudWatch Container Insights through the amazon-cloudwatch-observability EKS add-on. @default on in dev */
    containerInsights: toggle.prefault({}),
    /** Namespace for Prometheus. @default monitoring */
    namespace: dnsLabel.default("monitoring"),
  })
  .strict();

export type ObservabilitySection = z.infer<typeof observabilitySchema>;

/** The section with every toggle decided. */
export interface ObservabilityConfig {
  readonly prometheus: boolean;
  /** Grafana inside kube-prometheus-stack (only with `prometheus`). */
  readonly grafana: boolean;
  readonly kiali: boolean;
  readonly kialiPrometheusUrl?: string;
  readonly tracing: boolean;
  readonly samplingPercentage: number;
  readonly otlp?: { readonly service: string; readonly port: number };
  readonly containerInsights: boolean;
  readonly namespace: string;
}

/** Fills each unset toggle: on in the `dev` environment, off elsewhere. */
export function resolveObservability(
  environment: string,
  o: ObservabilitySection,
): ObservabilityConfig {
  const on = (v: boolean | undefined) => v ?? environment === "dev";
  return {
    prometheus: on(o.prometheus.enabled),
    grafana: o.grafana.enabled,
    kiali: on(o.kiali.enabled),
    kialiPrometheusUrl: o.kiali.prometheusUrl,
    tracing: on(o.tracing.enabled),
    samplingPercentage: o.tracing.samplingPercentage,
    otlp: o.tracing.otlp,
    containerInsights: on(o.containerInsights.enabled),
    namespace: o.namespace,
  };
}

/** What the decided toggles need from each other (config/load.ts reports these with the rest). */
export function observabilityProblems(resolved: ObservabilityConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (resolved.kiali && !resolved.prometheus && !resolved.kialiPrometheusUrl) {
    problems.push({
      key: "meshlift:observability.kiali.enabled",
      given: true,
      message:
        "Kiali needs Prometheus: enable observability.prometheus or set observability.kiali.prometheusUrl",
    });
  }
  if (resolved.grafana && !resolved.prometheus) {
    problems.push({
      key: "meshlift:observability.grafana.enabled",
      given: true,
      message: "Grafana comes with kube-prometheus-stack: enable observability.prometheus too",
    });
  }
  return problems;
}
