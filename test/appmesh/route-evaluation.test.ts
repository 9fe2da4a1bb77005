// Where each request goes: App Mesh's route tables against the emitted ones, for every target, over every example.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { convert, Finding, SourceFile, Target, TARGETS } from "../../appmesh";
import { serviceHost } from "../../appmesh/model/services";
import { dnsLabel } from "../../appmesh/names";
import { AppMeshTables, EmittedTables, Request, requestsFor, sameDestination } from "./route-eval";
import { EXAMPLES, FIXTURES, inputFiles, source } from "./helpers";

const files = inputFiles;

interface Tally {
  requests: number;
  same: number;
  reported: number;
  unreported: string[];
}

/** Compares every request of every router-backed (or node-redirected) VirtualService of one input. */
export function compareTables(
  input: SourceFile[],
  target: Target,
  tally: Tally,
  opts: { namespace?: string } = {},
) {
  const conv = convert(input, { ...opts, target });
  const am = new AppMeshTables(input, opts.namespace);
  const emitted = new EmittedTables(conv.objects, am.inv.k8sServices);
  const namespaces = new Set(
    [...am.inv.nodes, ...am.inv.services, ...am.inv.k8sServices].map((x) => x.namespace),
  );
  const blocked = (f: Finding) => f.severity === "blocker";
  for (const vs of am.inv.services) {
    const { host, inCluster } = serviceHost(vs, namespaces);
    if (!inCluster) continue;
    const rref = vs.spec.provider?.virtualRouter?.virtualRouterRef;
    const nref = vs.spec.provider?.virtualNode?.virtualNodeRef;
    const router = rref
      ? am.inv.routers.find(
          (r) => r.namespace === (rref.namespace ?? vs.namespace) && r.name === rref.name,
        )
      : undefined;
    if (!router && !nref) continue;
    const tcp = router ? router.routes.every((e) => e.route.tcpRoute) : false;
    const ports = router
      ? (router.spec.listeners ?? []).map((l) => l.portMapping.port)
      : [undefined];
    for (const port of ports.length ? ports : [undefined]) {
      const requests: Request[] = router
        ? requestsFor(host, router.routes, port)
        : requestsFor(host, [], port);
      for (const req of requests) {
        tally.requests++;
        const a = router
          ? am.decide(router.namespace, router.routes, req)
          : {
              rule: `${vs.kind}`,
              destination: new Map([[am.podsOf(nref!.namespace ?? vs.namespace, nref!.name), 1]]),
            };
        const e =
          target === "istio"
            ? emitted.decideIstio(req, tcp ? "tcp" : "http")
            : emitted.decideGateway(req, tcp ? ["TCPRoute"] : ["HTTPRoute", "GRPCRoute"]);
        if (sameDestination(a.destination, e.destination)) {
          tally.same++;
          continue;
        }
        // A difference must be reported: on the route App Mesh chose, the one the emitted table chose, the
        // router, or as a blocker on what the request reaches.
        const emittedRoute = e.rule?.split("|")[1];
        const names = new Set([
          a.rule?.split("|")[1] ?? "",
          ...(router?.routes ?? [])
            .filter(
              (x) =>
                emittedRoute !== undefined &&
                (x.route.name === emittedRoute || dnsLabel(x.route.name) === emittedRoute),
            )
            .map((x) => `${x.field}.`),
        ]);
        const routerSource = router ? `VirtualRouter ${router.namespace}/${router.name}` : "";
        const explained = conv.findings.some(
          (f) =>
            ((f.source === routerSource ||
              f.source.startsWith(`Route ${router?.namespace}/${router?.name}/`)) &&
              [...names].some(
                (n) =>
                  n !== "" &&
                  f.field.startsWith(n.replace(/\.(httpRoute|http2Route|grpcRoute|tcpRoute)$/, "")),
              )) ||
            (blocked(f) &&
              (f.source === routerSource ||
                f.source === `${vs.kind} ${vs.namespace}/${vs.name}` ||
                f.source.startsWith("VirtualNode "))),
        );
        if (explained) tally.reported++;
        else
          tally.unreported.push(
            `${input[0].path} [${target}] ${JSON.stringify(req)}: App Mesh ${a.rule} -> ${JSON.stringify([...a.destination])}, emitted ${e.rule} -> ${JSON.stringify([...e.destination])}`,
          );
      }
    }
  }
}

describe("route evaluation: App Mesh tables against the emitted tables", function () {
  const inputs = [
    ...files(FIXTURES).filter((p) => !/bad-weight|v1beta1/.test(p)),
    ...files(path.join(EXAMPLES, "k8s")),
    ...files(path.join(EXAMPLES, "api")),
  ];
  if (!fs.existsSync(EXAMPLES)) console.log(`    (${EXAMPLES} is not present: fixtures only)`);
  for (const target of TARGETS) {
    it(`${target}: every request goes where App Mesh sent it, or the difference is a finding`, () => {
      const tally: Tally = { requests: 0, same: 0, reported: 0, unreported: [] };
      for (const p of inputs)
        compareTables(
          [source(p)],
          target,
          tally,
          p.includes("api-route") || p.includes("cfn") ? { namespace: "payments" } : {},
        );
      console.log(
        `      ${target}: ${tally.requests} requests, ${tally.same} same destination, ${tally.reported} different and reported, ${tally.unreported.length} unreported`,
      );
      assert.ok(tally.requests > 50, "the comparison evaluates requests");
      assert.deepEqual(tally.unreported.slice(0, 10), []);
    });
  }
});
