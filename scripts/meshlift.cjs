// `npm run meshlift`: the compiled CLI (dist/) when it was built after the last change to any source, else the sources through tsx.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const STAMP = path.join(ROOT, "dist", ".built");

/** The newest modification time of the sources the build compiles (tsconfig.build.json's include). */
function newestSource() {
  const { include } = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.build.json"), "utf8"));
  let newest = fs.statSync(path.join(ROOT, "tsconfig.build.json")).mtimeMs;
  const visit = (p, top) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      // "*.ts" means the root's own files, not its folders.
      if (!top)
        for (const f of fs.readdirSync(p)) if (f !== "node_modules") visit(path.join(p, f), false);
    } else if (p.endsWith(".ts")) newest = Math.max(newest, st.mtimeMs);
  };
  for (const pattern of include) {
    if (pattern === "*.ts") {
      for (const f of fs.readdirSync(ROOT)) if (f.endsWith(".ts")) visit(path.join(ROOT, f), true);
    } else visit(path.join(ROOT, pattern), false);
  }
  return newest;
}

function fresh() {
  const built = fs.statSync(STAMP, { throwIfNoEntry: false });
  return built !== undefined && built.mtimeMs >= newestSource();
}

if (fresh()) {
  require(path.join(ROOT, "dist", "cli", "main.js")).run(process.argv.slice(2));
} else {
  process.stderr.write(
    "meshlift: dist/ is missing or older than the sources: running them through tsx (`npm run build` compiles them)\n",
  );
  require("tsx/cjs");
  require(path.join(ROOT, "cli", "main.ts")).run(process.argv.slice(2));
}
