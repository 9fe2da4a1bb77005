// Browser globals the board's pure modules read (sessionStorage, fetch, document.baseURI), set for one test and put back after.

/** The Web Storage interface, written out because Node's types have no DOM. */
export interface MemoryStorage {
  readonly length: number;
  clear(): void;
  getItem(key: string): string | null;
  key(index: number): string | null;
  removeItem(key: string): void;
  setItem(key: string, value: string): void;
}

/** A sessionStorage over a Map, enough for web/src/session.ts. */
export function memoryStorage(entries: Record<string, string> = {}): MemoryStorage {
  const m = new Map(Object.entries(entries));
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k: string) => m.get(k) ?? null,
    key: (i: number) => [...m.keys()][i] ?? null,
    removeItem: (k: string) => void m.delete(k),
    setItem: (k: string, v: string) => void m.set(k, String(v)),
  };
}

/** Defines `name` on globalThis (a value, or a getter when `get` is given); returns the function that restores it. */
export function setGlobal(name: string, value: unknown, get?: () => unknown): () => void {
  const before = Object.getOwnPropertyDescriptor(globalThis, name);
  Object.defineProperty(
    globalThis,
    name,
    get ? { get, configurable: true } : { value, writable: true, configurable: true },
  );
  return () => {
    if (before) Object.defineProperty(globalThis, name, before);
    else delete (globalThis as Record<string, unknown>)[name];
  };
}
