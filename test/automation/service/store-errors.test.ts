// Tests how SQLite's failures become the store's errors: a full disk, an unwritable file, a file it cannot open.
import * as assert from "node:assert/strict";
import {
  sqliteReason,
  StoreOpenError,
  StoreWriteError,
  writeError,
} from "../../../automation/service/store-errors";

const sqlite = (code: string) => Object.assign(new Error(`sqlite says ${code}`), { code });

describe("store errors", () => {
  it("turns SQLITE_FULL into a full store and other SQLite codes into an unavailable one", () => {
    const full = writeError(sqlite("SQLITE_FULL"), "operation 1");
    assert.ok(full instanceof StoreWriteError);
    assert.equal(full.kind, "full");
    assert.match(full.message, /database is full \(SQLITE_FULL\) and cannot record operation 1/);
    const ro = writeError(sqlite("SQLITE_READONLY"), "events");
    assert.ok(ro instanceof StoreWriteError);
    assert.equal(ro.kind, "unavailable");
  });

  it("passes anything that is not SQLite's through unchanged", () => {
    const e = new TypeError("a bug");
    assert.equal(writeError(e, "x"), e);
    assert.equal(
      writeError(Object.assign(new Error("fs"), { code: "ENOSPC" }), "x") instanceof
        StoreWriteError,
      false,
    );
  });

  it("says what to do when the file is in use, read-only or not a database", () => {
    assert.match(sqliteReason(sqlite("SQLITE_BUSY")), /in use by another process/);
    assert.match(
      sqliteReason(sqlite("SQLITE_READONLY_DIRECTORY")),
      /read-only \(SQLITE_READONLY_DIRECTORY\)/,
    );
    assert.match(sqliteReason(sqlite("SQLITE_NOTADB")), /not a meshlift database/);
    assert.match(sqliteReason(sqlite("SQLITE_IOERR")), /^SQLITE_IOERR: sqlite says SQLITE_IOERR$/);
    const open = new StoreOpenError("/tmp/x.db", "it is read-only");
    assert.equal(open.message, "cannot use /tmp/x.db as the service's database: it is read-only");
  });
});
