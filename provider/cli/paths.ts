// The directory arguments of virtsnap's commands.
import { isAbsolute, resolve } from "node:path";
import { UsageError } from "./io.js";

/** The one positional argument, a backup directory, made absolute. */
export function absoluteDirectory(positionals: readonly string[], command: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(
      `${command} takes one backup directory, got ${positionals.length} arguments`,
      command,
    );
  }
  return absolute(positionals[0] as string);
}

export function absolute(path: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(process.cwd(), path);
}
