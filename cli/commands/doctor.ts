// `meshlift doctor` at work: which prerequisites of the Automation API path are on this machine, and how to get the rest.
import { checkPrerequisites, Prerequisite } from "../../automation/prerequisites";

export function renderDoctor(items: readonly Prerequisite[]): string {
  const width = Math.max(...items.map((p) => p.name.length));
  const lines = items.flatMap((p) => {
    const head = `${p.present ? "ok     " : "missing"}  ${p.name.padEnd(width)}  ${p.detail}`;
    return p.present
      ? [head]
      : [
          head,
          `         ${" ".repeat(width)}  needed: ${p.purpose}`,
          `         ${" ".repeat(width)}  fix: ${p.install}`,
        ];
  });
  const missing = items.filter((p) => !p.present).map((p) => p.name);
  lines.push(
    "",
    missing.length === 0
      ? "All prerequisites found: plan, preview, up, refresh and destroy can run."
      : `Missing: ${missing.join(", ")}. The offline plan (\`meshlift plan\`) works without them.`,
  );
  return lines.join("\n");
}

export function runDoctor(o: { json?: boolean }): void {
  const items = checkPrerequisites();
  process.stdout.write(o.json ? `${JSON.stringify(items, null, 2)}\n` : `${renderDoctor(items)}\n`);
}
