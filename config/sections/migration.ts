// The `meshlift:migration` and `meshlift:appmesh` sections: which namespaces move to Istio, and the App Mesh controller handle.
import { z } from "zod";
import { DNS_LABEL, DNS_LABEL_MAX } from "../../appmesh/names";
import { cpuQuantity, memoryQuantity } from "./k8s-common";
import { drainDuration } from "./istio";

/** Namespaces meshlift must never relabel or restart: the platform's own. */
export const RESERVED_NAMESPACES: readonly string[] = [
  "kube-system",
  "kube-public",
  "kube-node-lease",
  "istio-system",
  "appmesh-system",
];

const dns1123Label = z
  .string()
  .max(DNS_LABEL_MAX, `must be at most ${DNS_LABEL_MAX} characters`)
  .regex(
    DNS_LABEL,
    "must be a Kubernetes name: lower-case letters, digits and -, starting and ending with a letter or digit",
  );

/**
 * Sidecar sizing by traffic profile, from the migration guide's table: requests and limits of the
 * Istio proxy container. A namespace picks one, and may override any of the four values.
 */
export const PROXY_PROFILES = {
  low: { cpu: "50m", memory: "64Mi", cpuLimit: "500m", memoryLimit: "256Mi" },
  medium: { cpu: "100m", memory: "128Mi", cpuLimit: "1", memoryLimit: "512Mi" },
  high: { cpu: "200m", memory: "256Mi", cpuLimit: "2", memoryLimit: "1Gi" },
} as const;
export type ProxyProfile = keyof typeof PROXY_PROFILES;
export const PROXY_PROFILE_NAMES = Object.keys(PROXY_PROFILES) as ProxyProfile[];

/** A namespace's sidecar: its size and, when it differs from the mesh (`istio.proxy`), start and drain. */
const namespaceProxy = z
  .object({
    /** Sizing by traffic profile (requests/limits from PROXY_PROFILES). @default the mesh's istio.proxy.resources */
    profile: z.enum(PROXY_PROFILE_NAMES as [ProxyProfile, ...ProxyProfile[]]).optional(),
    /** CPU request (sidecar.istio.io/proxyCPU). @default the profile's */
    cpu: cpuQuantity.optional(),
    /** Memory request (sidecar.istio.io/proxyMemory). @default the profile's */
    memory: memoryQuantity.optional(),
    /** CPU limit (sidecar.istio.io/proxyCPULimit). @default the profile's */
    cpuLimit: cpuQuantity.optional(),
    /** Memory limit (sidecar.istio.io/proxyMemoryLimit). @default the profile's */
    memoryLimit: memoryQuantity.optional(),
    /** @default istio.proxy.holdApplicationUntilProxyStarts */
    holdApplicationUntilProxyStarts: z.boolean().optional(),
    /** @default istio.proxy.terminationDrainDuration */
    terminationDrainDuration: drainDuration.optional(),
  })
  .strict();
export type NamespaceProxyConfig = z.infer<typeof namespaceProxy>;

export const NAMESPACE_STATES = ["appmesh", "istio"] as const;
export type NamespaceState = (typeof NAMESPACE_STATES)[number];

const namespaceEntry = z
  .object({
    /** The Kubernetes namespace. */
    name: dns1123Label.refine((n) => !RESERVED_NAMESPACES.includes(n), {
      message: `is a platform namespace meshlift never migrates (reserved: ${RESERVED_NAMESPACES.join(", ")})`,
    }),
    /** Which mesh injects this namespace's pods once the `workloads` phase is reached. */
    state: z.enum(NAMESPACE_STATES),
    /** That namespace's App Mesh configuration (kubectl YAML or AWS API JSON), relative to the project directory. */
    appmeshExport: z.string().min(1, "must be a file path").optional(),
    /**
     * Changing it restarts the namespace's Deployments once more (a pod-template annotation);
     * keeping it makes a re-run restart nothing. @default "istio"
     */
    restartToken: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,63}$/, "must be 1-63 letters, digits, '.', '_' or '-'")
      .optional(),
    /** Deployments to restart, in addition to the plain Deployment documents of `appmeshExport`. @default [] */
    deployments: z.array(dns1123Label).max(500).default([]),
    /** This namespace's sidecar size, start and drain, set on the restarted pods. @default the mesh's */
    proxy: namespaceProxy.optional(),
  })
  .strict();

export const migrationSchema = z
  .object({
    /** Namespaces meshlift manages, in the order they are migrated. @default [] */
    namespaces: z.array(namespaceEntry).max(500).default([]),
    /**
     * Deployments restarted at once, over all namespaces, in the order listed; each waits for its
     * rollout to finish before the next one starts. @default 1
     */
    maxParallelRestarts: z.number().int().min(1).max(50).default(1),
  })
  .strict()
  .superRefine((m, ctx) => {
    const first = new Map<string, number>();
    m.namespaces.forEach((ns, i) => {
      const j = first.get(ns.name);
      if (j === undefined) {
        first.set(ns.name, i);
        return;
      }
      const other = m.namespaces[j];
      ctx.addIssue({
        code: "custom",
        path: ["namespaces", i, "name"],
        input: ns.name,
        message:
          other.state === ns.state
            ? `namespace "${ns.name}" is listed twice (entries ${j} and ${i}); list it once`
            : `namespace "${ns.name}" is listed in both states: ${other.state} (entry ${j}) and ${ns.state} (entry ${i}); a namespace has one state`,
      });
    });
  });

export type MigrationConfig = z.infer<typeof migrationSchema>;
export type NamespaceConfig = MigrationConfig["namespaces"][number];

/** An App Mesh controller Helm release the stack adopts (`import`), so `decommission` can uninstall it. */
const controllerSchema = z
  .object({
    /** @default appmesh-controller */
    releaseName: dns1123Label.default("appmesh-controller"),
    /** @default appmesh-system */
    namespace: dns1123Label.default("appmesh-system"),
    /** @default appmesh-controller */
    chart: z.string().min(1).default("appmesh-controller"),
    /** @default https://aws.github.io/eks-charts */
    repository: z.string().url().default("https://aws.github.io/eks-charts"),
    /** The installed chart version: an import only succeeds when the inputs match what is deployed. */
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, "must be the installed chart version, e.g. 1.13.1"),
    /** The installed release's values (`helm get values`), for the same reason. @default {} */
    values: z.record(z.string(), z.unknown()).default({}),
    /** Pulumi import id of the release. @default <namespace>/<releaseName> */
    importId: z.string().min(1).optional(),
  })
  .strict();

export const appmeshSchema = z
  .object({
    controller: controllerSchema.optional(),
    /**
     * Whether an App Mesh control plane still answers the App Mesh Envoys. App Mesh reached end of
     * life on 2026-09-30, so by default it does not, and a rollback that would restart pods back
     * into App Mesh sidecars (whose Envoys would get no configuration) is refused.
     * @default unreachable
     */
    controlPlane: z.enum(["unreachable", "reachable"]).default("unreachable"),
  })
  .strict();

export type AppMeshConfig = z.infer<typeof appmeshSchema>;
export type AppMeshControllerConfig = NonNullable<AppMeshConfig["controller"]>;

/**
 * Cross-section rule: a phase that removes App Mesh (PhaseSpec.appmeshRemoved) leaves no namespace
 * on it. Reported on the entry, so the message names the namespace to move first.
 */
export function namespacesLeftOnAppMesh(
  appmeshRemoved: boolean,
  migration: MigrationConfig,
): { path: (string | number)[]; given: string; message: string }[] {
  if (!appmeshRemoved) return [];
  return migration.namespaces.flatMap((ns, i) =>
    ns.state === "appmesh"
      ? [
          {
            path: ["migration", "namespaces", i, "state"],
            given: ns.state,
            message: `namespace "${ns.name}" is still on App Mesh; decommission removes App Mesh, so move it to state istio first (or stay in phase cutover)`,
          },
        ]
      : [],
  );
}
