/** File access for commands: a file named on the command line that cannot be read or written is invalid input (exit 2). */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.js";
import type { Io } from "../io.js";

function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EISDIR") return "is a directory";
  if (code === "EACCES") return "permission denied";
  return code ?? (error instanceof Error ? error.message : String(error));
}

export async function readInput(io: Io, file: string, what: string): Promise<string> {
  try {
    return await readFile(path.resolve(io.cwd, file), "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${errnoText(error)}`, { cause: error });
  }
}

export async function writeOutput(io: Io, file: string, what: string, text: string): Promise<void> {
  try {
    await writeFile(path.resolve(io.cwd, file), text);
  } catch (error) {
    throw new UsageError(`cannot write ${what} ${file}: ${errnoText(error)}`, { cause: error });
  }
}
