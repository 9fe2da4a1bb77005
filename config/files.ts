// Reading and writing the files users name (stack files, App Mesh exports, outputs): bounded in size, errors that name the path and the reason.
import * as fs from "node:fs";
import * as path from "node:path";

/** A file that cannot be read or written, named with the reason in words (and the errno code). */
export class FileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly code?: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = "FileError";
  }
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ELOOP: "too many levels of symbolic links (a symlink loop?)",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "is a directory",
  ENOSPC: "no space left on device",
  EROFS: "read-only file system",
  EEXIST: "already exists",
  ENAMETOOLONG: "file name too long",
  EMFILE: "too many open files",
  EIO: "input/output error",
  EINVAL: "invalid argument",
  EFBIG: "file too large",
  EDQUOT: "disk quota exceeded",
  ENXIO: "no such device or address",
};

/** The reason of a Node filesystem error in words, e.g. "permission denied (EACCES)". */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  if (code) return code;
  return e instanceof Error ? e.message : String(e);
}

/** A FileError for `file` from a Node filesystem error (or the error itself when it is one). */
export function fileError(file: string, e: unknown): FileError {
  if (e instanceof FileError) return e;
  return new FileError(file, fsReason(e), (e as NodeJS.ErrnoException | undefined)?.code);
}

/**
 * Reads a text file of at most `limit` bytes. Devices and pipes are read in chunks up to the limit
 * too, so `/dev/zero` or an endless pipe stops with an error instead of hanging or filling memory.
 */
export function readTextFile(file: string, limit: number): string {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (e) {
    throw fileError(file, e);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new FileError(file, "is a directory", "EISDIR");
    if (st.isFile() && st.size > limit) throw tooLarge(file, limit, st.size);
    return readFd(fd, file, limit);
  } catch (e) {
    throw fileError(file, e);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads an open descriptor (stdin: fd 0) up to `limit` bytes, as UTF-8. */
export function readFd(fd: number, file: string, limit: number): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      // A non-blocking stdin with nothing yet: wait for it rather than spin.
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if ((e as NodeJS.ErrnoException).code === "EOF") break;
      throw fileError(file, e);
    }
    if (n === 0) break;
    total += n;
    if (total > limit) throw tooLarge(file, limit);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(file: string, limit: number, size?: number): FileError {
  const got = size === undefined ? "more" : `${size} bytes`;
  return new FileError(file, `is too large: ${got}, at most ${limit} bytes are read`, "EFBIG");
}

/** Writes a file, turning a filesystem error into a FileError that names it. */
export function writeTextFile(file: string, content: string): void {
  try {
    fs.writeFileSync(file, content);
  } catch (e) {
    throw fileError(file, e);
  }
}

/**
 * `mkdir -p` one level at a time. Node's recursive mkdirSync loops forever where a parent exists
 * but refuses children (`/proc/x`); here each level either is created, already is a directory, or
 * is a FileError that names it.
 */
export function makeDir(dir: string): void {
  const missing: string[] = [];
  let p = path.resolve(dir);
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw fileError(p, e);
    }
    if (st) {
      if (!st.isDirectory()) throw new FileError(p, "exists and is not a directory", "ENOTDIR");
      break;
    }
    missing.push(p);
    const parent = path.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw fileError(d, e);
    }
  }
}
