// File operations on the target host through any CommandRunner: coreutils argv, parsed output, typed errors.
import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import { z } from "zod";
import { parseOutput } from "../tools/parse-output.js";
import type { CommandRunner, RunOptions } from "./command-runner.js";
import {
  assertAbsolutePath,
  copyFileArgv,
  freeBytesArgv,
  HostPathError,
  listNamesArgv,
  makeDirectoryArgv,
  readFileArgv,
  removeDirectoryArgv,
  removeFilesArgv,
  renameArgv,
  STAT_FORMAT,
  statArgv,
  syncArgv,
  writeNewFileArgv,
} from "./host-file-argv.js";
import { classifyFileError, HostFileError } from "./host-file-errors.js";

/** A copy of a disk image can take a while; callers with a better estimate pass their own. */
export const COPY_TIMEOUT_MS = 60 * 60_000;

/** Creates the directory and any missing parents; an existing directory is fine. */
export async function makeDirectory(
  runner: CommandRunner,
  path: string,
  options: { mode?: number } = {},
): Promise<void> {
  assertAbsolutePath(path);
  await fileCommand(runner, "create directory", path, makeDirectoryArgv(path, options.mode));
}

/**
 * Replaces `path` with `contents` so that a reader (or a crash) sees either the old file or the
 * new one, never a part: write `<path>.tmp-<random>` and fsync it (dd conv=fsync), rename it
 * over `path`, then fsync the directory so the rename itself survives a crash. When a step
 * fails, the temp file is removed and the old file is left as it was.
 */
export async function writeFileAtomic(runner: CommandRunner, path: string, contents: string): Promise<void> {
  assertAbsolutePath(path);
  if (path.endsWith("/")) throw new HostPathError(path, "names a directory, not a file");
  const temp = `${path}.tmp-${randomBytes(6).toString("hex")}`;
  try {
    await fileCommand(runner, "write", path, writeNewFileArgv(temp), { input: contents });
    await fileCommand(runner, "write", path, renameArgv(temp, path));
  } catch (error) {
    // Best effort: when the directory is unwritable there is no temp file to remove either.
    await runner.run(removeFilesArgv([temp])).catch(() => undefined);
    throw error;
  }
  const directory = posix.dirname(path);
  await fileCommand(runner, "sync directory", directory, syncArgv(directory));
}

/** The file's contents as UTF-8 text. */
export async function readFile(runner: CommandRunner, path: string): Promise<string> {
  assertAbsolutePath(path);
  return fileCommand(runner, "read", path, readFileArgv(path));
}

const decimal = z.string().regex(/^[0-9]+$/, "a decimal number");

// File type bits of st_mode (sys/stat.h). Not object keys: Biome 2.6.8's useSimpleNumberKeys
// "fix" rewrites octal keys to wrong decimal numbers.
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

function fileType(mode: number): "file" | "directory" | "symlink" | "other" {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return "file";
    case S_IFDIR:
      return "directory";
    case S_IFLNK:
      return "symlink";
    default:
      return "other";
  }
}

const statSchema = z
  .tuple([z.string().regex(/^[0-9a-f]+$/, "a hexadecimal mode"), decimal, decimal, decimal, decimal])
  .transform(([rawMode, size, mtime, uid, gid]) => {
    const mode = Number.parseInt(rawMode, 16);
    return {
      type: fileType(mode),
      /** Permission bits, e.g. 0o644. */
      permissions: mode & 0o7777,
      size: Number(size),
      modifiedAt: new Date(Number(mtime) * 1000),
      uid: Number(uid),
      gid: Number(gid),
    };
  });

/** What `stat` says about a path (a symbolic link itself, not its target). */
export type HostFileStat = z.output<typeof statSchema>;

export async function statFile(runner: CommandRunner, path: string): Promise<HostFileStat> {
  assertAbsolutePath(path);
  const stdout = await fileCommand(runner, "inspect", path, statArgv(path));
  return parseOutput(`stat -c '${STAT_FORMAT}'`, stdout, statSchema, (text) => text.trim().split(" "));
}

/** The file's size in bytes. */
export async function fileSize(runner: CommandRunner, path: string): Promise<number> {
  return (await statFile(runner, path)).size;
}

/** Whether anything (file, directory, link) is at `path`; other failures (e.g. no access) throw. */
export async function fileExists(runner: CommandRunner, path: string): Promise<boolean> {
  try {
    await statFile(runner, path);
    return true;
  } catch (error) {
    if (
      error instanceof HostFileError &&
      (error.reason === "not-found" || error.reason === "not-directory")
    ) {
      return false;
    }
    throw error;
  }
}

const namesSchema = z.array(z.string().min(1));

/** The names (not paths) in a directory, sorted; names may contain any byte but NUL and `/`. */
export async function listDirectory(runner: CommandRunner, path: string): Promise<string[]> {
  assertAbsolutePath(path);
  const stdout = await fileCommand(runner, "list directory", path, listNamesArgv(path));
  const names = parseOutput("find -printf '%f\\0'", stdout, namesSchema, (text) =>
    text === "" ? [] : text.replace(/\0$/, "").split("\0"),
  );
  return names.sort();
}

/** Removes files; a missing one is not an error, a directory is (this never removes trees). */
export async function removeFiles(runner: CommandRunner, paths: readonly string[]): Promise<void> {
  for (const path of paths) assertAbsolutePath(path);
  if (paths.length === 0) return;
  await fileCommand(runner, "remove", paths.join(", "), removeFilesArgv(paths), {}, quoteAll(paths));
}

/** Removes an empty directory; a missing one is not an error, a non-empty one is. */
export async function removeEmptyDirectory(runner: CommandRunner, path: string): Promise<void> {
  assertAbsolutePath(path);
  try {
    await fileCommand(runner, "remove directory", path, removeDirectoryArgv(path));
  } catch (error) {
    if (error instanceof HostFileError && error.reason === "not-found") return;
    throw error;
  }
}

const dfAvailSchema = z.tuple([z.literal("Avail"), decimal]).transform(([, bytes]) => Number(bytes));

/** Bytes free for use on the filesystem that holds `path`. */
export async function freeBytes(runner: CommandRunner, path: string): Promise<number> {
  assertAbsolutePath(path);
  const stdout = await fileCommand(runner, "measure free space at", path, freeBytesArgv(path));
  return parseOutput("df -B1 --output=avail", stdout, dfAvailSchema, (text) =>
    text
      .trim()
      .split("\n")
      .map((line) => line.trim()),
  );
}

/** Copies a file's contents to `to` (replacing a file there), on the same host. */
export async function copyFile(
  runner: CommandRunner,
  from: string,
  to: string,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  assertAbsolutePath(from);
  assertAbsolutePath(to);
  await fileCommand(
    runner,
    "copy",
    from,
    copyFileArgv(from, to),
    { timeoutMs: options.timeoutMs ?? COPY_TIMEOUT_MS },
    `${JSON.stringify(from)} to ${JSON.stringify(to)}`,
  );
}

async function fileCommand(
  runner: CommandRunner,
  operation: string,
  path: string,
  argv: readonly string[],
  options: RunOptions = {},
  subject?: string,
): Promise<string> {
  try {
    return (await runner.run(argv, options)).stdout;
  } catch (error) {
    throw classifyFileError(error, operation, path, subject);
  }
}

function quoteAll(paths: readonly string[]): string {
  return paths.map((path) => JSON.stringify(path)).join(", ");
}
