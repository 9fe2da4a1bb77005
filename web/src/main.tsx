// The board's entry: the token form, the routes (`/` and `/stacks/<name>`), and client-side navigation.
import { render } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { WhoAmI } from "../../automation/service/board-types";
import { api, ApiError } from "./api";
import { BoardPage } from "./board";
import { clearToken, getToken, setToken } from "./session";
import { StackPage } from "./stack";

function route(path: string): { page: "board" } | { page: "stack"; stack: string } {
  const m = /^\/stacks\/([^/]+)$/.exec(path);
  if (m) {
    try {
      return { page: "stack", stack: decodeURIComponent(m[1]) };
    } catch {
      return { page: "board" };
    }
  }
  return { page: "board" };
}

function TokenForm(props: {
  who: WhoAmI | null;
  hasToken: boolean;
  onToken: (t: string | null) => void;
}) {
  const [value, setValue] = useState("");
  if (props.hasToken) {
    return (
      <div class="session">
        <span role="status">
          {props.who ? (
            <>
              Token: <strong>{props.who.identity}</strong> ({props.who.scope})
            </>
          ) : (
            "Checking the token…"
          )}
        </span>
        <button type="button" onClick={() => props.onToken(null)}>
          Forget token
        </button>
      </div>
    );
  }
  return (
    <form
      class="session"
      method="post"
      onSubmit={(e) => {
        e.preventDefault();
        const t = value.trim();
        if (t) props.onToken(t);
        setValue("");
      }}
    >
      <label for="token">Token</label>
      <input
        id="token"
        name="token"
        type="password"
        autocomplete="off"
        spellcheck={false}
        required
        value={value}
        onInput={(e) => setValue(e.currentTarget.value)}
      />
      <button type="submit">Use token</button>
    </form>
  );
}

function App() {
  const [path, setPath] = useState(location.pathname);
  const [token, setTok] = useState(getToken());
  const [who, setWho] = useState<WhoAmI | null>(null);
  const [authError, setAuthError] = useState<string | null>(null);

  const onToken = useCallback((t: string | null) => {
    if (t) setToken(t);
    else clearToken();
    setWho(null);
    setAuthError(null);
    setTok(t);
  }, []);
  const onAuthError = useCallback(
    (e: ApiError) => {
      if (e.status !== 401) return;
      onToken(null);
      setAuthError(`The token was refused: ${e.message}`);
    },
    [onToken],
  );

  useEffect(() => {
    if (!token) return;
    let live = true;
    api.whoami().then(
      (w) => live && setWho(w),
      (e: unknown) => live && e instanceof ApiError && onAuthError(e),
    );
    return () => {
      live = false;
    };
  }, [token, onAuthError]);

  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    // Same-origin links navigate in the page; the browser keeps history, and focus moves to the new heading.
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
        return;
      const a = (e.target as Element | null)?.closest?.("a");
      if (!a || a.target || a.origin !== location.origin) return;
      if (!(a.pathname === "/" || a.pathname.startsWith("/stacks/"))) return;
      e.preventDefault();
      if (a.pathname !== location.pathname) history.pushState(null, "", a.pathname);
      setPath(a.pathname);
    };
    addEventListener("popstate", onPop);
    document.addEventListener("click", onClick);
    return () => {
      removeEventListener("popstate", onPop);
      document.removeEventListener("click", onClick);
    };
  }, []);
  // After an in-page navigation (not on load: the skip link stays the first stop), focus the new heading.
  const navigated = useRef(false);
  useEffect(() => {
    if (navigated.current)
      document.querySelector<HTMLElement>("main h1")?.focus({ preventScroll: true });
    navigated.current = true;
  }, [path]);

  const r = route(path);
  useEffect(() => {
    document.title =
      r.page === "stack" ? `${r.stack} · meshlift board` : "meshlift migration board";
  }, [path]);

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a href="/" class="brand">
          meshlift <span>migration board</span>
        </a>
        <TokenForm who={who} hasToken={!!token} onToken={onToken} />
      </header>
      <main id="main" tabIndex={-1}>
        {authError && (
          <p class="error-text" role="alert">
            {authError}
          </p>
        )}
        {!token ? (
          <>
            <h1 tabIndex={-1}>Migration board</h1>
            <p>
              Enter a service token above: a <code>read</code> token shows every stack, an{" "}
              <code>operate</code> token can also plan, advance and roll back. The token stays in
              this tab only (session storage) and is sent as a header, never in a URL.
            </p>
          </>
        ) : r.page === "stack" ? (
          <StackPage stack={r.stack} who={who} onAuthError={onAuthError} />
        ) : (
          <BoardPage onAuthError={onAuthError} />
        )}
      </main>
      <footer class="bottom">
        <p>
          meshlift · <a href="/openapi.json">API</a>
        </p>
      </footer>
    </>
  );
}

const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<App />, root);
}
