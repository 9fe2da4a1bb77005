// What a VirtualGateway does to a request before forwarding it: App Mesh's default and explicit rewrites.
import type { MeshGatewayRoute } from "../../model/types";
import type { EmitContext } from "./context";

export interface GatewayRewrite {
  /** `full`: the whole path is replaced (rewrite.path); `prefix`: the matched prefix is (rewrite.prefix / default). */
  readonly path?: { readonly kind: "full" | "prefix"; readonly value: string };
  /** The Host header sent on: the target service's host, unless App Mesh's hostname rewrite is disabled. */
  readonly authority?: string;
}

/** The rewrite App Mesh applies for a GatewayRoute, with its default (matched prefix -> `/`, Host -> target) made explicit. */
export function gatewayRewrite(ctx: EmitContext, gr: MeshGatewayRoute): GatewayRewrite {
  const f = `spec.${gr.type}`;
  const notes: string[] = [];
  let path: GatewayRewrite["path"];
  if (gr.http) {
    const m = gr.http.match;
    const rw = gr.http.action.rewrite;
    if (rw?.path) {
      path = { kind: "full", value: rw.path.exact };
      if (!m.path?.exact)
        ctx.on(
          gr,
          "warning",
          `${f}.action.rewrite.path`,
          "path rewrite without an exact path match: Istio replaces the whole matched URI",
        );
    } else if (m.prefix !== undefined) {
      if (rw?.prefix?.value !== undefined) path = { kind: "prefix", value: rw.prefix.value };
      else if (rw?.prefix?.defaultPrefix !== "DISABLED" && m.prefix !== "/") {
        path = { kind: "prefix", value: "/" };
        notes.push(`matched prefix ${m.prefix} -> /`);
      }
    }
  }
  const hostRewrite = (gr.http ?? gr.grpc)!.action.rewrite?.hostname?.defaultTargetHostname;
  let authority: string | undefined;
  if (hostRewrite !== "DISABLED") {
    authority = gr.host;
    if (hostRewrite === undefined) notes.push(`Host -> ${gr.host}`);
  }
  if (notes.length)
    ctx.on(
      gr,
      "info",
      `${f}.action.rewrite`,
      `App Mesh's default gateway rewrite made explicit: ${notes.join(", ")}`,
    );
  return { ...(path ? { path } : {}), ...(authority ? { authority } : {}) };
}
