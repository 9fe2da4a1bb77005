// CloudFormation AWS::AppMesh::* resources -> AWS API documents: resolves intrinsics and camel-cases keys.
import { AppMeshKind } from "./schema";
import { Severity } from "./types";

export interface CfnDocument {
  readonly logicalId: string;
  readonly kind: AppMeshKind | "Route";
  readonly body: Record<string, unknown>;
}

interface CfnFinding {
  severity: Severity;
  source: string;
  field: string;
  reason: string;
}

const KINDS: Record<string, AppMeshKind | "Route"> = {
  "AWS::AppMesh::Mesh": "Mesh",
  "AWS::AppMesh::VirtualNode": "VirtualNode",
  "AWS::AppMesh::VirtualService": "VirtualService",
  "AWS::AppMesh::VirtualRouter": "VirtualRouter",
  "AWS::AppMesh::Route": "Route",
  "AWS::AppMesh::VirtualGateway": "VirtualGateway",
  "AWS::AppMesh::GatewayRoute": "GatewayRoute",
};

/** CloudFormation accepts numbers as strings; the CRD schema does not, so these keys are coerced. */
const NUMERIC_KEYS = new Set([
  "port",
  "weight",
  "priority",
  "value",
  "maxRetries",
  "maxServerErrors",
  "maxEjectionPercent",
  "maxConnections",
  "maxPendingRequests",
  "maxRequests",
  "healthyThreshold",
  "unhealthyThreshold",
  "intervalMillis",
  "timeoutMillis",
  "start",
  "end",
]);

const SPECIAL_KEYS: Record<string, string> = {
  AWSCloudMap: "awsCloudMap",
  TLS: "tls",
  ACM: "acm",
  DNS: "dns",
  SDS: "sds",
  HTTP: "http",
  HTTP2: "http2",
  GRPC: "grpc",
  TCP: "tcp",
  SubjectAlternativeNames: "subjectAlternativeNames",
};

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function camel(key: string): string {
  if (key in SPECIAL_KEYS) return SPECIAL_KEYS[key];
  if (/^[A-Z0-9]+$/.test(key)) return key.toLowerCase();
  return key.charAt(0).toLowerCase() + key.slice(1);
}

function camelTree(v: unknown, key = "", coerce = true): unknown {
  if (Array.isArray(v)) return v.map((x) => camelTree(x, key, coerce));
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const ck = camel(k);
      // Cloud Map attribute and JSON log format values are strings even when they look numeric.
      out[ck] = camelTree(x, ck, coerce && ck !== "attributes" && ck !== "json");
    }
    return out;
  }
  if (coerce && typeof v === "string" && NUMERIC_KEYS.has(key) && /^\d+$/.test(v)) return Number(v);
  return v;
}

/** Resolves CloudFormation intrinsic functions as far as the template alone allows. */
class Resolver {
  readonly findings: CfnFinding[] = [];
  private readonly reported = new Set<string>();

  constructor(
    private readonly parameters: Record<string, unknown>,
    private readonly resources: Record<string, unknown>,
  ) {}

  private note(source: string, field: string, reason: string) {
    const key = `${source}|${reason}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.findings.push({ severity: "warning", source, field, reason });
  }

  private ref(name: string, source: string, field: string, depth: number): unknown {
    const p = this.parameters[name];
    if (isObject(p)) {
      if (p.Default !== undefined) return p.Default;
      this.note(
        source,
        field,
        `parameter ${name} has no Default; its name stands in for the value, re-run with the deployed value`,
      );
      return name;
    }
    if (name === "AWS::Region") return "us-east-1";
    const r = this.resources[name];
    if (isObject(r) && isObject(r.Properties)) {
      // Ref of an App Mesh resource is its ARN; the name is what the converter needs.
      const nameProp = Object.keys(r.Properties).find(
        (k) => k.endsWith("Name") && k !== "MeshName",
      );
      if (nameProp) return this.resolve(r.Properties[nameProp], source, field, depth + 1);
    }
    this.note(
      source,
      field,
      `Ref ${name} cannot be resolved from the template; "${name}" stands in`,
    );
    return name;
  }

  private getAtt(res: string, attr: string, source: string, field: string, depth: number): unknown {
    const r = this.resources[res];
    if (isObject(r) && isObject(r.Properties) && attr in r.Properties) {
      return this.resolve(r.Properties[attr], source, field, depth + 1);
    }
    this.note(
      source,
      field,
      `Fn::GetAtt ${res}.${attr} is only known after deployment; "${res}.${attr}" stands in`,
    );
    return `${res}.${attr}`;
  }

  resolve(v: unknown, source: string, field: string, depth = 0): unknown {
    if (depth > 20) return "unresolved";
    if (Array.isArray(v)) return v.map((x) => this.resolve(x, source, field, depth));
    if (!isObject(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const [k] = keys;
      const a = v[k];
      if (k === "Ref" && typeof a === "string") return this.ref(a, source, field, depth);
      if (k === "Fn::GetAtt") {
        const parts = Array.isArray(a) ? a.map(String) : typeof a === "string" ? a.split(".") : [];
        if (parts.length >= 2)
          return this.getAtt(parts[0], parts.slice(1).join("."), source, field, depth);
      }
      if (k === "Fn::Sub") {
        const [tpl, vars] = Array.isArray(a) ? [a[0], a[1]] : [a, {}];
        if (typeof tpl === "string") {
          return tpl.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
            if (isObject(vars) && name in vars)
              return String(this.resolve(vars[name], source, field, depth + 1));
            const dot = name.indexOf(".");
            const val =
              dot > 0
                ? this.getAtt(name.slice(0, dot), name.slice(dot + 1), source, field, depth)
                : this.ref(name, source, field, depth);
            return String(val);
          });
        }
      }
      if (k === "Fn::Join" && Array.isArray(a) && Array.isArray(a[1])) {
        const items = this.resolve(a[1], source, field, depth + 1) as unknown[];
        return items.map(String).join(String(a[0]));
      }
      if (k.startsWith("Fn::")) {
        this.note(source, field, `${k} is not evaluated by the converter; the field is left out`);
        return undefined;
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const r = this.resolve(x, source, `${field}.${k}`, depth);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
}

/** The App Mesh resources of a template as API documents (`meshName`, `virtualNodeName`, `spec`, ...). */
export function cfnToApiDocuments(template: Record<string, unknown>): {
  docs: CfnDocument[];
  findings: CfnFinding[];
} {
  const resources = isObject(template.Resources) ? template.Resources : {};
  const parameters = isObject(template.Parameters) ? template.Parameters : {};
  const resolver = new Resolver(parameters, resources);
  const docs: CfnDocument[] = [];
  for (const [logicalId, res] of Object.entries(resources)) {
    if (!isObject(res) || typeof res.Type !== "string") continue;
    const kind = KINDS[res.Type];
    if (!kind) {
      if (res.Type.startsWith("AWS::AppMesh::")) {
        resolver.findings.push({
          severity: "warning",
          source: `${res.Type} ${logicalId}`,
          field: "Type",
          reason: "this App Mesh resource type is not converted",
        });
      }
      continue;
    }
    const source = `${res.Type} ${logicalId}`;
    const props = resolver.resolve(
      isObject(res.Properties) ? res.Properties : {},
      source,
      "Properties",
    );
    docs.push({ logicalId, kind, body: camelTree(props) as Record<string, unknown> });
  }
  return { docs, findings: resolver.findings };
}
