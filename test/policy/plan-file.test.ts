// Reading a plan document back for `meshlift policy check`: a plan file as `meshlift plan --json` writes it, and each way a file is refused.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MAX_PLAN_BYTES, PlanFileError, readPlanFile } from "../../policy/plan-file";

const doc = {
  project: "meshlift",
  stack: "dev",
  phase: "parallel",
  resources: [
    {
      urn: "urn:pulumi:dev::meshlift::kubernetes:helm.sh/v3:Release::istiod",
      type: "kubernetes:helm.sh/v3:Release",
      name: "istiod",
      parent: null,
      inputs: { chart: "istiod" },
      dependsOn: [],
      provider: null,
      protect: false,
    },
  ],
  outputs: { phase: "parallel" },
};

describe("policy plan file", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-plan-file-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const refused = (file: string, message: RegExp) =>
    assert.throws(
      () => readPlanFile(file),
      (e: unknown) => e instanceof PlanFileError && message.test(e.message),
    );

  it("reads a plan document", () => {
    assert.deepEqual(readPlanFile(write("plan.json", JSON.stringify(doc))), doc);
  });

  it("refuses a missing file, a directory and a file over the size cap, naming the file", () => {
    refused(path.join(dir, "none.json"), /none\.json: cannot read it \(ENOENT\)$/);
    refused(dir, /: not a file$/);
    const big = write("big.json", "");
    // A sparse file: the cap is checked on its size before anything is read.
    fs.truncateSync(big, MAX_PLAN_BYTES + 1);
    refused(
      big,
      new RegExp(
        `big\\.json: ${MAX_PLAN_BYTES + 1} bytes; a plan document is at most ${MAX_PLAN_BYTES}$`,
      ),
    );
  });

  it("refuses a file that is not JSON, and says how to write one", () => {
    refused(
      write("plan.txt", "phase: parallel"),
      /plan\.txt: not JSON \(.*\); write one with `meshlift plan --json`$/,
    );
  });

  it("names each bad field of a document that is not a plan", () => {
    refused(
      write(
        "bad.json",
        JSON.stringify({ ...doc, phase: 3, resources: [{ ...doc.resources[0], protect: "no" }] }),
      ),
      /bad\.json: not a plan document: phase: .*; resources\.0\.protect: /,
    );
    refused(write("array.json", "[]"), /array\.json: not a plan document: \(document\): /);
  });

  it("lists ten problems and counts the rest", () => {
    const resources = Array.from({ length: 12 }, () => ({ ...doc.resources[0], urn: "" }));
    refused(
      write("many.json", JSON.stringify({ ...doc, resources })),
      /resources\.9\.urn: [^;]*\(and 2 more\)$/,
    );
  });
});
