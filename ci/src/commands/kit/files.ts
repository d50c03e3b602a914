/** The one file reader and writer of hello-ci: a file named on the command line that cannot be read or written is invalid input (exit 2). */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../../errors.js";
import type { Io } from "../../io.js";

function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EISDIR") return "is a directory";
  if (code === "EACCES") return "permission denied";
  if (code === "ENOTDIR") return "a parent is not a directory";
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** Read `file` (relative to the Io's cwd); `where` is the error prefix, e.g. `scan-gate: --report`. */
export async function readFlagFile(io: Io, where: string, file: string): Promise<string> {
  try {
    return await readFile(path.resolve(io.cwd, file), "utf8");
  } catch (error) {
    throw new UsageError(`${where}: cannot read ${file}: ${errnoText(error)}`, { cause: error });
  }
}

/** Write `file` (text, or bytes such as a PNG); a file that cannot be written is invalid input naming its flag. */
export async function writeFlagFile(io: Io, where: string, file: string, text: string | Uint8Array): Promise<void> {
  try {
    await writeFile(path.resolve(io.cwd, file), text);
  } catch (error) {
    throw new UsageError(`${where}: cannot write ${file}: ${errnoText(error)}`, { cause: error });
  }
}

/** Create the directory `dir` (and its parents) named by a flag, e.g. a report directory; exit 2 when it cannot be. */
export async function makeFlagDir(io: Io, where: string, dir: string): Promise<string> {
  const full = path.resolve(io.cwd, dir);
  try {
    await mkdir(full, { recursive: true });
    return full;
  } catch (error) {
    throw new UsageError(`${where}: cannot create directory ${dir}: ${errnoText(error)}`, { cause: error });
  }
}
