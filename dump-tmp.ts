import { convert } from "./appmesh";
import * as fs from "fs";
const [file, target, kind] = process.argv.slice(2);
const r = convert([{ path: file, content: fs.readFileSync(file, "utf8") }], { target: target as never });
for (const o of r.objects) if (!kind || o.kind === kind) console.log(o.kind, o.metadata.namespace + "/" + o.metadata.name, JSON.stringify(o.spec));
if (process.env.F) for (const f of r.findings) console.log(`${f.severity} | ${f.source} | ${f.field} | ${f.reason}`);
console.log(JSON.stringify(r.namespaceLabels));
