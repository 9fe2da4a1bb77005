// The layout rules of issue 10 read off the tree: which source files carry behaviour, which have a test at the mirrored path, file sizes, exported names.
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export const ROOT = path.resolve(__dirname, "../..");

/** The folders whose TypeScript is the product (tests, benches and scripts are not). */
const SOURCE =
  /^(index\.ts|program\.ts|(appmesh|automation|builders|cli|components|config|cutover|discover|fleet|phases|plan|policy)\/.*\.ts|web\/src\/.*\.tsx?|web\/build\.ts)$/;

/** Every file under the root outside dependencies, build output and git's own folder. */
function walk(dir = ""): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return ["node_modules", "dist", ".git"].includes(e.name) ? [] : walk(rel);
    return [rel];
  });
}

/** The product's source files, read off the tree (a fresh clone and a working tree agree). */
export function sourceFiles(): string[] {
  return walk()
    .filter((f) => SOURCE.test(f) && !f.endsWith(".d.ts"))
    .sort();
}

/**
 * Source files whose tests are elsewhere on purpose, each with the reason. The board's Preact components
 * render into a browser DOM, which Node does not have: they are driven in real Chromium by
 * test/web/board.browser.test.ts, while the board's pure modules (api, events, format, session) have
 * unit tests at their mirrored paths.
 */
export const TESTED_ELSEWHERE: Readonly<Record<string, string>> = {
  "web/src/board.tsx": "test/web/board.browser.test.ts",
  "web/src/dialog.tsx": "test/web/board.browser.test.ts",
  "web/src/main.tsx": "test/web/board.browser.test.ts",
  "web/src/markdown.tsx": "test/web/board.browser.test.ts",
  "web/src/parts.tsx": "test/web/board.browser.test.ts",
  "web/src/stack.tsx": "test/web/board.browser.test.ts",
  "web/src/hooks.ts": "test/web/board.browser.test.ts",
};

function parse(file: string): ts.SourceFile {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
}

/**
 * A file has behaviour when it contains code that runs with a decision in it: a function, method, arrow
 * or class with members. Type-only modules, constant tables and re-export barrels have none.
 */
export function hasBehaviour(file: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (
      ts.isFunctionDeclaration(n) ||
      ts.isFunctionExpression(n) ||
      ts.isArrowFunction(n) ||
      ts.isMethodDeclaration(n) ||
      ts.isConstructorDeclaration(n) ||
      ts.isGetAccessorDeclaration(n)
    ) {
      found = n.body !== undefined;
      if (found) return;
    }
    ts.forEachChild(n, visit);
  };
  visit(parse(file));
  return found;
}

/** `test/<same path>.test.ts`, or `test/<same path>.<aspect>.test.ts` (e.g. `.hostile`). */
export function mirroredTests(file: string): string[] {
  const base = file.replace(/\.tsx?$/, "");
  const dir = path.join(ROOT, "test", path.dirname(base));
  if (!fs.existsSync(dir)) return [];
  const name = path.basename(base);
  return fs
    .readdirSync(dir)
    .filter((f) => f === `${name}.test.ts` || (f.startsWith(`${name}.`) && f.endsWith(".test.ts")))
    .map((f) => path.join("test", path.dirname(base), f));
}

export function lineCount(file: string): number {
  return fs.readFileSync(path.join(ROOT, file), "utf8").split("\n").length;
}

/** Names of exported functions and function-valued consts, per file. */
export function exportedFunctions(file: string): string[] {
  const names: string[] = [];
  const exported = (n: ts.Node): boolean =>
    ts.canHaveModifiers(n) &&
    (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const st of parse(file).statements) {
    if (ts.isFunctionDeclaration(st) && st.name && exported(st) && st.body)
      names.push(st.name.text);
    if (ts.isVariableStatement(st) && exported(st))
      for (const d of st.declarationList.declarations)
        if (
          ts.isIdentifier(d.name) &&
          d.initializer &&
          (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))
        )
          names.push(d.name.text);
  }
  return names;
}
