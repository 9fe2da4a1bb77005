// Entry point for `pulumi up`: wiring only; the program lives in program.ts.
import { meshlift, readOwnOutputs } from "./program";

export = async () => meshlift({ deployed: await readOwnOutputs() });
