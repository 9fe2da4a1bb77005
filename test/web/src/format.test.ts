// How the board writes durations, times, event fields and engine events.
import { strict as assert } from "node:assert";
import { describeEvent, duration, str, when } from "../../../web/src/format";

describe("board format", () => {
  it("writes a duration in the largest unit that reads well, and '-' for none", () => {
    assert.equal(duration(null), "-");
    assert.equal(duration(Number.NaN), "-");
    assert.equal(duration(-1), "-");
    assert.equal(duration(250.4), "250 ms");
    assert.equal(duration(1500), "1.5 s");
    assert.equal(duration(12_000), "12 s");
    assert.equal(duration(61_000), "1 min 1 s");
    assert.equal(duration(3_900_000), "1 h 5 min");
  });

  it("writes a time in the reader's locale, '-' for none and an unreadable one as given", () => {
    assert.equal(when(null), "-");
    assert.equal(when("not a date"), "not a date");
    const iso = "2026-12-02T10:20:30Z";
    assert.equal(
      when(iso),
      new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" }),
    );
    assert.notEqual(when(iso), iso);
  });

  it("writes an event field as text: strings as they are, anything else as JSON", () => {
    assert.equal(str(undefined, "none"), "none");
    assert.equal(str(null), "");
    assert.equal(str("up"), "up");
    assert.equal(str(0), "0");
    assert.equal(str({ a: [1] }), '{"a":[1]}');
  });

  it("describes each engine event in one line", () => {
    const urn = "urn:pulumi:dev::meshlift::kubernetes:helm.sh/v3:Release::istiod";
    const metadata = { op: "create", type: "kubernetes:helm.sh/v3:Release", urn };
    assert.equal(
      describeEvent({ preludeEvent: { config: { "meshlift:phase": "parallel" } } }),
      "started (phase parallel)",
    );
    assert.equal(describeEvent({ preludeEvent: {} }), "started");
    assert.equal(
      describeEvent({ resourcePreEvent: { metadata } }),
      "create kubernetes:helm.sh/v3:Release istiod",
    );
    assert.equal(
      describeEvent({ resOutputsEvent: { metadata } }),
      "done: create kubernetes:helm.sh/v3:Release istiod",
    );
    assert.equal(describeEvent({ resourcePreEvent: {} }), "step  ");
    assert.equal(describeEvent({ resOpFailedEvent: { metadata } }), "failed: istiod");
    assert.equal(
      describeEvent({ diagnosticEvent: { severity: "warning", message: "  slow  \n" } }),
      "warning: slow",
    );
    assert.equal(describeEvent({ diagnosticEvent: {} }), "info: ");
    assert.equal(describeEvent({ stdoutEvent: { message: "Updating (dev)\n" } }), "Updating (dev)");
    assert.equal(
      describeEvent({ summaryEvent: { resourceChanges: { create: 3, same: 40 } } }),
      "summary: 3 create, 40 same",
    );
    assert.equal(describeEvent({ summaryEvent: {} }), "summary: no changes");
    assert.equal(describeEvent({ cancelEvent: {} }), "cancelled");
    assert.equal(
      describeEvent({ cutoverEvent: {}, line: "step 2: istio 25%" }),
      "step 2: istio 25%",
    );
  });

  it("clips long text and shows an unknown event as JSON without its sequence and time", () => {
    const long = "x".repeat(400);
    assert.equal(describeEvent({ stdoutEvent: { message: long } }), `${"x".repeat(300)}…`);
    assert.equal(
      describeEvent({ sequence: 4, timestamp: 17, somethingNew: { a: 1 } }),
      '{"somethingNew":{"a":1}}',
    );
    // A cutover event without its line is not a cutover line: it falls through to JSON.
    assert.equal(describeEvent({ cutoverEvent: { step: 1 } }), '{"cutoverEvent":{"step":1}}');
  });
});
