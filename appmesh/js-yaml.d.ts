// Minimal types for the parts of js-yaml 4 the converter uses (@types/js-yaml is not installed).
declare module "js-yaml" {
  export interface TypeOptions {
    kind: "scalar" | "sequence" | "mapping";
    resolve?: (data: unknown) => boolean;
    construct?: (data: unknown) => unknown;
    instanceOf?: object;
    predicate?: (data: unknown) => boolean;
    represent?: Record<string, (data: unknown) => string>;
    defaultStyle?: string;
  }
  export class Type {
    constructor(tag: string, options: TypeOptions);
    readonly tag: string;
    readonly kind: string;
    resolve(data: unknown): boolean;
    construct(data: unknown): unknown;
    readonly instanceOf: object | null;
    readonly predicate: ((data: unknown) => boolean) | null;
    readonly represent: Record<string, (data: unknown) => string> | null;
    readonly defaultStyle: string | null;
  }
  export class Schema {
    extend(types: Type[] | { implicit?: Type[]; explicit?: Type[] }): Schema;
  }
  export const FAILSAFE_SCHEMA: Schema;
  export const JSON_SCHEMA: Schema;
  export const CORE_SCHEMA: Schema;
  export const DEFAULT_SCHEMA: Schema;
  export const types: {
    readonly null: Type;
    readonly bool: Type;
    readonly int: Type;
    readonly float: Type;
  };
  export interface Mark {
    readonly line: number;
    readonly column: number;
    readonly position: number;
  }
  export class YAMLException extends Error {
    readonly reason: string;
    readonly mark?: Mark;
  }
  export interface LoadOptions {
    filename?: string;
    schema?: Schema;
    json?: boolean;
    listener?: (event: "open" | "close", state: unknown) => void;
    /** Nesting at which loading stops (js-yaml 4.3+). @default 100 */
    maxDepth?: number;
  }
  export interface DumpOptions {
    indent?: number;
    noArrayIndent?: boolean;
    skipInvalid?: boolean;
    flowLevel?: number;
    schema?: Schema;
    sortKeys?: boolean;
    lineWidth?: number;
    noRefs?: boolean;
    noCompatMode?: boolean;
    condenseFlow?: boolean;
    quotingType?: "'" | '"';
    forceQuotes?: boolean;
  }
  export function loadAll(str: string, iterator?: null, options?: LoadOptions): unknown[];
  export function dump(obj: unknown, options?: DumpOptions): string;
}
