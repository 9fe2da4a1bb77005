// After `tsc -p tsconfig.build.json`: make the bin executable and stamp the build, so `npm run meshlift` knows dist/ is fresh.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const dist = path.join(__dirname, "..", "dist");
fs.chmodSync(path.join(dist, "cli", "main.js"), 0o755);
fs.writeFileSync(path.join(dist, ".built"), `${new Date().toISOString()}\n`);
