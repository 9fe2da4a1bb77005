// The `meshlift:cluster` section: create a new EKS cluster, or adopt the one App Mesh already runs on.
import { z } from "zod";
import {
  DEFAULT_KUBERNETES_VERSION,
  MAX_KUBERNETES_VERSION,
  MIN_KUBERNETES_VERSION,
} from "../versions";
import { cidrSchema } from "./network";

const instanceType = z
  .string()
  .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as m6i.xlarge");

/** A managed node group's size and instance types; defaults differ per group. */
function nodeGroup(d: { instanceType: string; min: number; desired: number; max: number }) {
  return z
    .object({
      /** EC2 instance types, first is preferred. */
      instanceTypes: z.array(instanceType).min(1).default([d.instanceType]),
      minSize: z.number().int().min(1).max(100).default(d.min),
      desiredSize: z.number().int().min(1).max(100).default(d.desired),
      maxSize: z.number().int().min(1).max(100).default(d.max),
      /** Root volume size in GiB. */
      diskSize: z.number().int().min(20).max(2000).default(50),
    })
    .strict()
    .superRefine((g, ctx) => {
      if (g.minSize > g.desiredSize || g.desiredSize > g.maxSize) {
        ctx.addIssue({
          code: "custom",
          path: ["desiredSize"],
          input: g.desiredSize,
          message: `sizes must satisfy minSize <= desiredSize <= maxSize (got ${g.minSize} <= ${g.desiredSize} <= ${g.maxSize})`,
        });
      }
    });
}

const kubernetesVersion = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const s = String(v);
  const m = /^1\.(\d{2})$/.exec(s);
  const min = Number(MIN_KUBERNETES_VERSION.split(".")[1]);
  const max = Number(MAX_KUBERNETES_VERSION.split(".")[1]);
  if (!m) {
    ctx.addIssue({
      code: "custom",
      input: v,
      message: `must be a quoted EKS version such as "${DEFAULT_KUBERNETES_VERSION}" (YAML reads 1.30 as the number 1.3)`,
    });
    return z.NEVER;
  }
  if (Number(m[1]) < min || Number(m[1]) > max) {
    ctx.addIssue({
      code: "custom",
      input: v,
      message: `must be from ${MIN_KUBERNETES_VERSION} to ${MAX_KUBERNETES_VERSION}: the Kubernetes versions Istio 1.30 supports (${DEFAULT_KUBERNETES_VERSION}, the default, is the newest in EKS standard support)`,
    });
    return z.NEVER;
  }
  return s;
});

const iamRoleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN");

const clusterName = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,99}$/, "must be an EKS cluster name (letters, digits, - and _)");

/** Where a new cluster's nodes live: a VPC meshlift creates, or an existing one. */
const vpcSchema = z
  .object({
    /** CIDR of the VPC meshlift creates (ignored with `vpcId`). */
    cidr: cidrSchema({ families: ["ipv4"], ipv4Prefix: [16, 24] }).default("10.0.0.0/16"),
    /** Availability zones of a new VPC; nodes run in private subnets in each. */
    availabilityZones: z.number().int().min(2).max(6).default(3),
    /** NAT gateways of a new VPC: one shared, or one per AZ for zone-independent egress. */
    natGateways: z.enum(["single", "onePerAz"]).default("single"),
    /** An existing VPC to use instead of creating one. */
    vpcId: z
      .string()
      .regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id such as vpc-0abc12345")
      .optional(),
    privateSubnetIds: z
      .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id"))
      .optional(),
    publicSubnetIds: z
      .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id"))
      .optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.vpcId && (v.privateSubnetIds?.length ?? 0) < 2) {
      ctx.addIssue({
        code: "custom",
        path: ["privateSubnetIds"],
        input: v.privateSubnetIds,
        message: "an existing vpcId needs at least 2 private subnet ids in different AZs",
      });
    }
    if (!v.vpcId && (v.privateSubnetIds || v.publicSubnetIds)) {
      ctx.addIssue({
        code: "custom",
        path: ["vpcId"],
        input: undefined,
        message: "subnet ids are only allowed together with an existing vpcId",
      });
    }
  });

export const createClusterSchema = z
  .object({
    mode: z.literal("create"),
    /** EKS cluster name. @default meshlift-<environment> */
    name: clusterName.optional(),
    /** @default DEFAULT_KUBERNETES_VERSION */
    kubernetesVersion: kubernetesVersion.default(DEFAULT_KUBERNETES_VERSION),
    vpc: vpcSchema.prefault({}),
    /** IAM roles granted cluster admin through EKS access entries (authenticationMode API). */
    adminRoleArns: z
      .array(iamRoleArn)
      .default([])
      .superRefine((arns, ctx) => {
        arns.forEach((a, i) => {
          const j = arns.indexOf(a);
          if (j !== i) {
            ctx.addIssue({
              code: "custom",
              path: [i],
              input: a,
              message: `is listed twice (entries ${j} and ${i}); EKS keeps one access entry per role`,
            });
          }
        });
      }),
    /** Whether the API server endpoint is reachable from the internet. @default true */
    endpointPublicAccess: z.boolean().default(true),
    nodeGroups: z
      .object({
        core: nodeGroup({ instanceType: "m6i.xlarge", min: 2, desired: 3, max: 6 }).prefault({}),
        gateway: nodeGroup({ instanceType: "m6i.2xlarge", min: 1, desired: 2, max: 4 }).prefault(
          {},
        ),
      })
      .strict()
      .prefault({}),
    /**
     * How node groups are named: `prefix` (EKS generates the name, so a replacement is a rolling
     * create-then-delete) or `fixed` (`<cluster>-<group>`, as meshlift named them before). @default
     * prefix for a new stack; fixed for a stack deployed before meshlift named node groups by prefix,
     * so that upgrading meshlift replaces no node group
     */
    nodeGroupNaming: z.enum(["prefix", "fixed"]).optional(),
    /**
     * EKS Auto Mode: EKS runs the nodes (no managed node groups) and provisions the gateways' NLBs
     * itself, so no LB controller is installed. @default false
     */
    autoMode: z.boolean().default(false),
    /** Protect cluster and node groups from deletion. @default true for environments named prod* */
    protect: z.boolean().optional(),
  })
  .strict();

export const existingClusterSchema = z
  .object({
    mode: z.literal("existing"),
    /** Name of the EKS cluster to adopt (read only: meshlift never modifies it). */
    name: clusterName,
    /**
     * The cluster runs EKS Auto Mode: no LB controller, gateway Services of class
     * eks.amazonaws.com/nlb. @default detected from the cluster (its compute config)
     */
    autoMode: z.boolean().optional(),
  })
  .strict();

export const clusterSchema = z.discriminatedUnion(
  "mode",
  [createClusterSchema, existingClusterSchema],
  {
    error: () => 'needs mode: "create" (a new cluster) or "existing" (adopt a cluster by name)',
  },
);

export type CreateClusterConfig = z.infer<typeof createClusterSchema> & {
  name: string;
  protect: boolean;
};
export type ExistingClusterConfig = z.infer<typeof existingClusterSchema>;
export type ClusterConfig = CreateClusterConfig | ExistingClusterConfig;
export type NodeGroupConfig = CreateClusterConfig["nodeGroups"]["core"];
