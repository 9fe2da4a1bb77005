// One seed for every fast-check property in `npm test`, so CI is reproducible: a counterexample found once is
// found again on every run until it is fixed. `npm run fuzz` (MESHLIFT_PROPERTY_SEED=random) explores new seeds,
// and fast-check prints the seed of any failure so it can be replayed with MESHLIFT_PROPERTY_SEED=<seed>.
import fc from "fast-check";

const DEFAULT_SEED = 20261202;

export function propertySeed(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return DEFAULT_SEED;
  if (raw === "random") return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n))
    throw new Error(`MESHLIFT_PROPERTY_SEED=${JSON.stringify(raw)}: an integer or "random"`);
  return n;
}

const seed = propertySeed(process.env.MESHLIFT_PROPERTY_SEED);
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
