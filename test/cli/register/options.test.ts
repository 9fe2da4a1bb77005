// The option parsers the registrations share: a repeatable flag collected in order, --target's choices with and without all, --stack.
import * as assert from "node:assert/strict";
import { collect, stackTargetOption, targetOption } from "../../../cli/register/options";

describe("cli/register/options", () => {
  it("collects a repeated flag's values in order, leaving the earlier list alone", () => {
    const first: string[] = [];
    const one = collect("a.yaml", first);
    assert.deepEqual(collect("b/", one), ["a.yaml", "b/"]);
    assert.deepEqual(first, []);
  });

  it("offers the converter's targets, and all only when asked", () => {
    const convert = targetOption("help");
    assert.equal(convert.flags, "-t, --target <target>");
    assert.equal(convert.description, "help");
    assert.deepEqual(convert.argChoices, ["istio", "gateway-api", "ambient"]);
    assert.deepEqual(targetOption("help", true).argChoices, [
      "istio",
      "gateway-api",
      "ambient",
      "all",
    ]);
  });

  it("names the stack whose istio.mode gives the target", () => {
    const stack = stackTargetOption();
    assert.equal(stack.flags, "-s, --stack <stack>");
    assert.match(stack.description, /istio\.mode/);
    assert.equal(stack.mandatory, false);
  });
});
