// The board's token store: this tab's sessionStorage only, and no token when storage is unavailable.
import { strict as assert } from "node:assert";
import { clearToken, getToken, setToken } from "../../../web/src/session";
import { memoryStorage, setGlobal } from "../../support/web-globals";

describe("board session", () => {
  let restore: () => void = () => undefined;
  afterEach(() => restore());

  it("keeps the token under meshlift.token in sessionStorage, and clears it", () => {
    const storage = memoryStorage();
    restore = setGlobal("sessionStorage", storage);
    assert.equal(getToken(), null);
    setToken("t-123");
    assert.equal(storage.getItem("meshlift.token"), "t-123");
    assert.equal(getToken(), "t-123");
    clearToken();
    assert.equal(storage.length, 0);
    assert.equal(getToken(), null);
  });

  it("reads no token when sessionStorage is missing or refuses access", () => {
    restore = setGlobal("sessionStorage", undefined);
    assert.equal(getToken(), null);
    restore();
    restore = setGlobal("sessionStorage", undefined, () => {
      throw new Error("SecurityError: access denied");
    });
    assert.equal(getToken(), null);
  });
});
