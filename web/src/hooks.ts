// Data that stays fresh: load now, again every interval while the tab is visible, and on demand.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api";

export interface Polled<T> {
  readonly data: T | null;
  readonly error: ApiError | null;
  readonly refresh: () => void;
}

export function usePoll<T>(
  load: () => Promise<T>,
  intervalMs: number,
  deps: readonly unknown[],
  onError?: (e: ApiError) => void,
): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const gen = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  const refresh = useCallback(() => {
    const mine = ++gen.current;
    loadRef.current().then(
      (d) => {
        if (mine !== gen.current) return;
        setData(d);
        setError(null);
      },
      (e: unknown) => {
        if (mine !== gen.current) return;
        const err = e instanceof ApiError ? e : new ApiError(0, String(e));
        setError(err);
        onErrorRef.current?.(err);
      },
    );
  }, []);

  useEffect(() => {
    setData(null);
    setError(null);
    refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") refresh();
    }, intervalMs);
    return () => {
      clearInterval(timer);
      gen.current += 1;
    };
  }, deps);

  return { data, error, refresh };
}
