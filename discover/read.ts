// Reads the live cluster into a ClusterSnapshot: paged lists, bounded concurrency, every 403 collected into one message.
import {
  callOptions,
  CONCURRENCY,
  Connection,
  DiscoverError,
  Forbidden,
  ForbiddenError,
  forbiddenMessage,
  listAll,
  NotFoundError,
  request,
  RequestInfo,
} from "./connect";
import {
  ClusterSnapshot,
  isNamespaceName,
  meshedNamespaces,
  NamespaceReads,
  nameOf,
  referencedNamespaces,
  Wire,
} from "./model";
import {
  APPMESH_GROUP,
  APPMESH_KINDS,
  APPMESH_LEGACY_KINDS,
  APPMESH_LEGACY_VERSION,
  APPMESH_VERSION,
  AppMeshKindInfo,
  qualifiedResource,
  SGP_GROUP,
  SGP_VERSION,
} from "./reads";
import { slimNode, slimPod, wire } from "./slim";

export interface Progress {
  /** What is being read, e.g. "virtualnodes" or "namespaces 120/500". */
  readonly step: string;
  /** Objects read so far, over every list. */
  readonly objects: number;
}

export interface ReadOptions {
  /** Only these namespaces (-n); every namespace when absent. */
  readonly namespaces?: readonly string[];
  readonly onProgress?: (p: Progress) => void;
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

class Reader {
  private objects = 0;
  readonly forbidden: Forbidden[] = [];

  constructor(
    private readonly c: Connection,
    private readonly o: ReadOptions,
  ) {}

  progress(step: string, more = 0) {
    this.objects += more;
    this.o.onProgress?.({ step, objects: this.objects });
  }

  /** A read whose 403 is collected (so every missing permission is named at once) and whose 404 is `missing`. */
  async guarded<T>(
    info: RequestInfo,
    fn: () => Promise<T>,
    missing: T,
    optional: boolean,
  ): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ForbiddenError) {
        this.forbidden.push(e.info);
        return missing;
      }
      if (e instanceof NotFoundError && optional) return missing;
      if (e instanceof NotFoundError) {
        throw new DiscoverError(
          `${qualifiedResource(info.group, info.resource)} is not served by ${this.c.server} (context ${JSON.stringify(this.c.context)}): ` +
            (info.group === APPMESH_GROUP
              ? "its App Mesh CRD is not installed; install the App Mesh controller's CRDs (chart appmesh-controller) or check the context"
              : "the API is missing on this cluster"),
        );
      }
      throw e;
    }
  }

  list<T>(
    info: RequestInfo,
    page: (
      cont: string | undefined,
    ) => Promise<{ items: readonly T[]; metadata?: { _continue?: string; continue?: string } }>,
    optional = false,
  ): Promise<T[]> {
    const label = `${info.resource}${info.namespace ? ` (${info.namespace})` : ""}`;
    return this.guarded(
      info,
      () => listAll(this.c, info, page, (n) => this.progress(label, n)),
      [],
      optional,
    );
  }

  async appmeshVersions(): Promise<string[]> {
    const apis = this.c.kc.makeApiClient(this.c.k8s.ApisApi);
    const groups = await request(this.c, { verb: "get", group: "", resource: "apis" }, () =>
      apis.getAPIVersions(callOptions(this.c)),
    );
    this.serverGroups = new Set(groups.groups.map((g) => g.name));
    return (groups.groups.find((g) => g.name === APPMESH_GROUP)?.versions ?? []).map(
      (v) => v.version,
    );
  }

  serverGroups = new Set<string>();

  /** Every object of App Mesh kinds (cluster-wide, or in the requested namespaces). */
  async appmesh(version: string, kinds: readonly AppMeshKindInfo[]): Promise<Wire[]> {
    const custom = this.c.kc.makeApiClient(this.c.k8s.CustomObjectsApi);
    const served = await request(
      this.c,
      { verb: "get", group: APPMESH_GROUP, resource: version },
      () => custom.getAPIResources({ group: APPMESH_GROUP, version }, callOptions(this.c)),
    );
    const have = new Set(served.resources.map((r) => r.name));
    const missing = kinds.filter((k) => !have.has(k.resource));
    if (version === APPMESH_VERSION && missing.length) {
      throw new DiscoverError(
        `the App Mesh CRDs for ${missing.map((k) => qualifiedResource(APPMESH_GROUP, k.resource)).join(", ")} (${APPMESH_GROUP}/${version}) are not installed on ${this.c.server} ` +
          `(context ${JSON.stringify(this.c.context)}); install the App Mesh controller's CRDs (chart appmesh-controller v1.x) or check the context`,
      );
    }
    const scopes = (k: AppMeshKindInfo): (string | undefined)[] =>
      k.namespaced && this.o.namespaces ? [...this.o.namespaces] : [undefined];
    const jobs = kinds
      .filter((k) => have.has(k.resource))
      .flatMap((k) => scopes(k).map((ns) => ({ k, ns })));
    const lists = await mapLimit(jobs, CONCURRENCY, ({ k, ns }) =>
      this.list<Wire>(
        {
          verb: "list",
          group: APPMESH_GROUP,
          resource: k.resource,
          ...(ns ? { namespace: ns } : {}),
        },
        (cont) =>
          ns
            ? custom.listNamespacedCustomObject(
                {
                  group: APPMESH_GROUP,
                  version,
                  namespace: ns,
                  plural: k.resource,
                  limit: this.c.pageSize,
                  ...(cont ? { _continue: cont } : {}),
                },
                callOptions(this.c),
              )
            : custom.listClusterCustomObject(
                {
                  group: APPMESH_GROUP,
                  version,
                  plural: k.resource,
                  limit: this.c.pageSize,
                  ...(cont ? { _continue: cont } : {}),
                },
                callOptions(this.c),
              ),
      ).then((items) =>
        items.map((x) => ({ apiVersion: `${APPMESH_GROUP}/${version}`, kind: k.kind, ...x })),
      ),
    );
    return lists.flat();
  }

  async namespaces(): Promise<Wire[]> {
    const core = this.c.kc.makeApiClient(this.c.k8s.CoreV1Api);
    if (!this.o.namespaces) {
      const all = await this.list({ verb: "list", group: "", resource: "namespaces" }, (cont) =>
        core.listNamespace(
          { limit: this.c.pageSize, ...(cont ? { _continue: cont } : {}) },
          callOptions(this.c),
        ),
      );
      return all.map((n) => wire(n, "v1", "Namespace"));
    }
    const one = await mapLimit(this.o.namespaces, CONCURRENCY, async (name) => {
      const info: RequestInfo = { verb: "get", group: "", resource: "namespaces", name };
      try {
        const n = await request(this.c, info, () =>
          core.readNamespace({ name }, callOptions(this.c)),
        );
        return wire(n, "v1", "Namespace");
      } catch (e) {
        if (e instanceof ForbiddenError) {
          this.forbidden.push(e.info);
          return undefined;
        }
        if (e instanceof NotFoundError) {
          throw new DiscoverError(
            `-n ${name}: there is no namespace ${JSON.stringify(name)} in context ${JSON.stringify(this.c.context)}`,
          );
        }
        throw e;
      }
    });
    return one.filter((n): n is Wire => n !== undefined);
  }

  async pods(): Promise<Wire[]> {
    const core = this.c.kc.makeApiClient(this.c.k8s.CoreV1Api);
    const scopes = this.o.namespaces ? [...this.o.namespaces] : [undefined];
    const lists = await mapLimit(scopes, CONCURRENCY, (ns) =>
      this.list(
        { verb: "list", group: "", resource: "pods", ...(ns ? { namespace: ns } : {}) },
        async (cont) => {
          const opts = { limit: this.c.pageSize, ...(cont ? { _continue: cont } : {}) };
          const page = ns
            ? await core.listNamespacedPod({ namespace: ns, ...opts }, callOptions(this.c))
            : await core.listPodForAllNamespaces(opts, callOptions(this.c));
          // Slimmed page by page: a large cluster's pods need not all sit in memory in full.
          return {
            items: page.items.map((p) => slimPod(wire(p, "v1", "Pod"))),
            metadata: page.metadata ?? {},
          };
        },
      ),
    );
    return lists.flat();
  }

  async nodes(): Promise<Wire[]> {
    const core = this.c.kc.makeApiClient(this.c.k8s.CoreV1Api);
    return this.list({ verb: "list", group: "", resource: "nodes" }, async (cont) => {
      const page = await core.listNode(
        { limit: this.c.pageSize, ...(cont ? { _continue: cont } : {}) },
        callOptions(this.c),
      );
      return {
        items: page.items.map((n) => slimNode(wire(n, "v1", "Node"))),
        metadata: page.metadata ?? {},
      };
    });
  }

  async webhooks(): Promise<Wire[]> {
    const adm = this.c.kc.makeApiClient(this.c.k8s.AdmissionregistrationV1Api);
    const group = "admissionregistration.k8s.io";
    const [m, v] = await Promise.all([
      this.list({ verb: "list", group, resource: "mutatingwebhookconfigurations" }, (cont) =>
        adm.listMutatingWebhookConfiguration(
          { limit: this.c.pageSize, ...(cont ? { _continue: cont } : {}) },
          callOptions(this.c),
        ),
      ),
      this.list({ verb: "list", group, resource: "validatingwebhookconfigurations" }, (cont) =>
        adm.listValidatingWebhookConfiguration(
          { limit: this.c.pageSize, ...(cont ? { _continue: cont } : {}) },
          callOptions(this.c),
        ),
      ),
    ]);
    return [
      ...m.map((w) => wire(w, `${group}/v1`, "MutatingWebhookConfiguration")),
      ...v.map((w) => wire(w, `${group}/v1`, "ValidatingWebhookConfiguration")),
    ];
  }

  async awsNode(): Promise<Wire | undefined> {
    const apps = this.c.kc.makeApiClient(this.c.k8s.AppsV1Api);
    const info: RequestInfo = {
      verb: "get",
      group: "apps",
      resource: "daemonsets",
      namespace: "kube-system",
      name: "aws-node",
    };
    return this.guarded(
      info,
      () =>
        request(this.c, info, () =>
          apps.readNamespacedDaemonSet(
            { namespace: "kube-system", name: "aws-node" },
            callOptions(this.c),
          ),
        ).then((d) => wire(d, "apps/v1", "DaemonSet")),
      undefined,
      true,
    );
  }

  /** Services, Deployments, ReplicaSets, HPAs and SecurityGroupPolicies of one namespace (Services only when `servicesOnly`). */
  async namespace(
    ns: string,
    servicesOnly: boolean,
    sgp: boolean,
    hpa: boolean,
  ): Promise<NamespaceReads> {
    const k = this.c.k8s;
    const core = this.c.kc.makeApiClient(k.CoreV1Api);
    const apps = this.c.kc.makeApiClient(k.AppsV1Api);
    const page = (cont: string | undefined) => ({
      namespace: ns,
      limit: this.c.pageSize,
      ...(cont ? { _continue: cont } : {}),
    });
    const services = this.list(
      { verb: "list", group: "", resource: "services", namespace: ns },
      (cont) => core.listNamespacedService(page(cont), callOptions(this.c)),
    );
    if (servicesOnly) {
      return {
        services: (await services).map((s) => wire(s, "v1", "Service")),
        deployments: [],
        replicaSets: [],
        hpas: [],
        securityGroupPolicies: [],
      };
    }
    const autoscaling = this.c.kc.makeApiClient(k.AutoscalingV2Api);
    const custom = this.c.kc.makeApiClient(k.CustomObjectsApi);
    const [svc, deps, rss, hpas, sgps] = await Promise.all([
      services,
      this.list({ verb: "list", group: "apps", resource: "deployments", namespace: ns }, (cont) =>
        apps.listNamespacedDeployment(page(cont), callOptions(this.c)),
      ),
      this.list({ verb: "list", group: "apps", resource: "replicasets", namespace: ns }, (cont) =>
        apps.listNamespacedReplicaSet(page(cont), callOptions(this.c)),
      ),
      hpa
        ? this.list(
            {
              verb: "list",
              group: "autoscaling",
              resource: "horizontalpodautoscalers",
              namespace: ns,
            },
            (cont) =>
              autoscaling.listNamespacedHorizontalPodAutoscaler(page(cont), callOptions(this.c)),
            true,
          )
        : Promise.resolve([]),
      sgp
        ? this.list<Wire>(
            { verb: "list", group: SGP_GROUP, resource: "securitygrouppolicies", namespace: ns },
            (cont) =>
              custom.listNamespacedCustomObject(
                {
                  group: SGP_GROUP,
                  version: SGP_VERSION,
                  plural: "securitygrouppolicies",
                  ...page(cont),
                },
                callOptions(this.c),
              ),
            true,
          )
        : Promise.resolve([] as Wire[]),
    ]);
    return {
      services: svc.map((s) => wire(s, "v1", "Service")),
      deployments: deps.map((d) => wire(d, "apps/v1", "Deployment")),
      replicaSets: rss.map((r) => wire(r, "apps/v1", "ReplicaSet")),
      hpas: hpas.map((h) => wire(h, "autoscaling/v2", "HorizontalPodAutoscaler")),
      securityGroupPolicies: sgps.map((s) => ({
        apiVersion: `${SGP_GROUP}/${SGP_VERSION}`,
        kind: "SecurityGroupPolicy",
        ...s,
      })),
    };
  }

  failIfForbidden(): void {
    if (this.forbidden.length) throw new DiscoverError(forbiddenMessage(this.c, this.forbidden));
  }
}

/** Reads everything discover reports on. Throws DiscoverError (one message) for what the user must fix. */
export async function readCluster(c: Connection, o: ReadOptions = {}): Promise<ClusterSnapshot> {
  for (const n of o.namespaces ?? []) {
    if (!isNamespaceName(n)) {
      throw new DiscoverError(
        `-n ${JSON.stringify(n)} is not a namespace name: lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit`,
      );
    }
  }
  const r = new Reader(c, o);
  r.progress("API groups");
  const versions = await r.appmeshVersions();
  if (versions.length === 0) {
    throw new DiscoverError(
      `no App Mesh CRDs (${APPMESH_GROUP}) on ${c.server} (context ${JSON.stringify(c.context)}): nothing to discover; check the context, or install the App Mesh controller's CRDs if the objects were exported elsewhere`,
    );
  }
  const modern = versions.includes(APPMESH_VERSION);
  const hpa = r.serverGroups.has("autoscaling");
  const sgp = r.serverGroups.has(SGP_GROUP);
  const [appmesh, legacy, namespaces, pods, nodes, webhooks, awsNode] = await Promise.all([
    modern ? r.appmesh(APPMESH_VERSION, APPMESH_KINDS) : Promise.resolve([]),
    modern ? Promise.resolve([]) : r.appmesh(APPMESH_LEGACY_VERSION, APPMESH_LEGACY_KINDS),
    r.namespaces(),
    r.pods(),
    r.nodes(),
    r.webhooks(),
    r.awsNode(),
  ]);
  r.failIfForbidden();
  for (const ns of namespaces) {
    if (!isNamespaceName(nameOf(ns))) {
      throw new DiscoverError(
        `the API server returned a namespace named ${JSON.stringify(nameOf(ns)).slice(0, 120)}, which Kubernetes cannot hold; refusing to write files for it (is ${c.server} a Kubernetes API server?)`,
      );
    }
  }
  const known = new Set(namespaces.map(nameOf));
  const meshed = meshedNamespaces({ appmesh, legacy, namespaces, pods }).filter(
    (n) => known.has(n) || !o.namespaces,
  );
  for (const n of meshed) {
    if (!isNamespaceName(n))
      throw new DiscoverError(
        `the API server returned an object in namespace ${JSON.stringify(n).slice(0, 120)}, which Kubernetes cannot hold; refusing to write files for it`,
      );
  }
  // With -n the other namespaces are unknown: names written out in full (`svc.ns.svc...`) still count.
  const referenced = referencedNamespaces(appmesh, known, Boolean(o.namespaces)).filter(
    (n) => !meshed.includes(n),
  );
  const jobs = [
    ...meshed.map((ns) => ({ ns, servicesOnly: false })),
    ...referenced.map((ns) => ({ ns, servicesOnly: true })),
  ];
  let done = 0;
  const reads = await mapLimit(jobs, CONCURRENCY, async (j) => {
    const out = await r.namespace(j.ns, j.servicesOnly, sgp, hpa);
    r.progress(`namespaces ${++done}/${jobs.length}`);
    return [j.ns, out] as const;
  });
  r.failIfForbidden();
  return {
    context: c.context,
    server: c.server,
    ...(o.namespaces ? { requested: [...o.namespaces] } : {}),
    appmeshVersions: versions,
    appmesh,
    legacy,
    namespaces,
    pods,
    nodes,
    webhooks,
    meshed,
    perNamespace: new Map(reads),
    ...(awsNode ? { awsNode } : {}),
    installed: { hpa, securityGroupPolicies: sgp },
  };
}
