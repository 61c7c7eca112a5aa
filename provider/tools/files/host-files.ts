// File operations on the target host (coreutils and findutils): argv from file-argv.ts, parsed output, typed errors.
import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import { z } from "zod";
import type { CommandRunner, RunOptions } from "../../host/command-runner.js";
import { parseOutput } from "../parse-output.js";
import {
  assertAbsolutePath,
  copyFileArgv,
  freeBytesArgv,
  HostPathError,
  listNamesArgv,
  makeDirectoryArgv,
  readFileArgv,
  realPathArgv,
  removeDirectoryArgv,
  removeFilesArgv,
  renameArgv,
  STAT_FORMAT,
  statArgv,
  syncArgv,
  writeNewFileArgv,
} from "./file-argv.js";
import { classifyFileError, HostFileError } from "./file-errors.js";

/** A copy of a disk image can take a while; callers with a better estimate pass their own. */
const COPY_TIMEOUT_MS = 60 * 60_000;

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

const namesSchema = z.array(z.string().min(1));
const dfAvailSchema = z.tuple([z.literal("Avail"), decimal]).transform(([, bytes]) => Number(bytes));
const pathsSchema = z.array(z.string().startsWith("/", { error: "not an absolute path" }));

/**
 * The file operations virsh and qemu-img do not do, on the host a runner reaches (this machine,
 * or over ssh). Every path must be absolute; failures are HostFileErrors whose `reason` comes
 * from coreutils' message (C locale).
 */
export class HostFiles {
  private readonly runner: CommandRunner;

  constructor(runner: CommandRunner) {
    this.runner = runner;
  }

  /** Where the operations run: `localhost` or `user@host`. */
  get host(): string {
    return this.runner.host;
  }

  /** Creates the directory and any missing parents; an existing directory is fine. */
  async makeDirectory(path: string, options: { mode?: number } = {}): Promise<void> {
    assertAbsolutePath(path);
    await this.command("create directory", path, makeDirectoryArgv(path, options.mode));
  }

  /**
   * Replaces `path` with `contents` so that a reader (or a crash) sees either the old file or the
   * new one, never a part: write `<path>.tmp-<random>` and fsync it (dd conv=fsync), rename it
   * over `path`, then fsync the directory so the rename itself survives a crash. When a step
   * fails, the temp file is removed and the old file is left as it was.
   */
  async writeFileAtomic(path: string, contents: string): Promise<void> {
    assertAbsolutePath(path);
    if (path.endsWith("/")) throw new HostPathError(path, "names a directory, not a file");
    const temp = `${path}.tmp-${randomBytes(6).toString("hex")}`;
    try {
      await this.command("write", path, writeNewFileArgv(temp), { input: contents });
      await this.command("write", path, renameArgv(temp, path));
    } catch (error) {
      // Best effort: when the directory is unwritable there is no temp file to remove either.
      await this.runner.run(removeFilesArgv([temp])).catch(() => undefined);
      throw error;
    }
    const directory = posix.dirname(path);
    await this.command("sync directory", directory, syncArgv(directory));
  }

  /** The file's contents as UTF-8 text. */
  async readFile(path: string): Promise<string> {
    assertAbsolutePath(path);
    return this.command("read", path, readFileArgv(path));
  }

  /** lstat of `path`: a symbolic link is reported as itself. */
  async stat(path: string): Promise<HostFileStat> {
    assertAbsolutePath(path);
    const stdout = await this.command("inspect", path, statArgv(path));
    return parseOutput(`stat -c '${STAT_FORMAT}'`, stdout, statSchema, (text) => text.trim().split(" "));
  }

  /** The file's size in bytes. */
  async size(path: string): Promise<number> {
    return (await this.stat(path)).size;
  }

  /** Whether anything (file, directory, link) is at `path`; other failures (e.g. no access) throw. */
  async exists(path: string): Promise<boolean> {
    try {
      await this.stat(path);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** The names (not paths) in a directory, sorted; names may contain any byte but NUL and `/`. */
  async list(path: string): Promise<string[]> {
    assertAbsolutePath(path);
    const stdout = await this.command("list directory", path, listNamesArgv(path));
    const names = parseOutput("find -printf '%f\\0'", stdout, namesSchema, (text) =>
      text === "" ? [] : text.replace(/\0$/, "").split("\0"),
    );
    return names.sort();
  }

  /** Removes files; a missing one is not an error, a directory is (this never removes trees). */
  async removeFiles(paths: readonly string[]): Promise<void> {
    for (const path of paths) assertAbsolutePath(path);
    if (paths.length === 0) return;
    const subject = paths.map((path) => JSON.stringify(path)).join(", ");
    await this.command("remove", paths.join(", "), removeFilesArgv(paths), {}, subject);
  }

  /** Removes an empty directory; a missing one is not an error, a non-empty one is. */
  async removeEmptyDirectory(path: string): Promise<void> {
    assertAbsolutePath(path);
    try {
      await this.command("remove directory", path, removeDirectoryArgv(path));
    } catch (error) {
      if (error instanceof HostFileError && error.reason === "not-found") return;
      throw error;
    }
  }

  /** Bytes free for use on the filesystem that holds `path`. */
  async freeBytes(path: string): Promise<number> {
    assertAbsolutePath(path);
    const stdout = await this.command("measure free space at", path, freeBytesArgv(path));
    return parseOutput("df -B1 --output=avail", stdout, dfAvailSchema, (text) =>
      text
        .trim()
        .split("\n")
        .map((line) => line.trim()),
    );
  }

  /** Copies a file's contents to `to` (replacing a file there), on the same host. */
  async copy(from: string, to: string, options: { timeoutMs?: number } = {}): Promise<void> {
    assertAbsolutePath(from);
    assertAbsolutePath(to);
    await this.command(
      "copy",
      from,
      copyFileArgv(from, to),
      { timeoutMs: options.timeoutMs ?? COPY_TIMEOUT_MS },
      `${JSON.stringify(from)} to ${JSON.stringify(to)}`,
    );
  }

  /**
   * The file's canonical path on the host: symbolic links, `.` and `..` resolved. A HostFileError
   * with reason `not-found` when it does not exist.
   */
  async realPath(path: string): Promise<string> {
    const [resolved] = await this.resolvePaths([path], true);
    return resolved as string;
  }

  /** Canonical paths of `paths`, in the same order; a missing file is resolved as far as it exists. */
  async canonicalPaths(paths: readonly string[]): Promise<string[]> {
    return this.resolvePaths(paths, false);
  }

  private async resolvePaths(paths: readonly string[], existing: boolean): Promise<string[]> {
    for (const path of paths) assertAbsolutePath(path);
    if (paths.length === 0) return [];
    const stdout = await this.command("resolve", paths.join(", "), realPathArgv(paths, { existing }));
    const resolved = parseOutput("realpath -z", stdout, pathsSchema, (text) =>
      text === "" ? [] : text.replace(/\0$/, "").split("\0"),
    );
    if (resolved.length !== paths.length) {
      throw new Error(`realpath on ${this.host} answered ${resolved.length} paths for ${paths.length}`);
    }
    return resolved;
  }

  private async command(
    operation: string,
    path: string,
    argv: readonly string[],
    options: RunOptions = {},
    subject?: string,
  ): Promise<string> {
    try {
      return (await this.runner.run(argv, options)).stdout;
    } catch (error) {
      throw classifyFileError(error, operation, path, subject);
    }
  }
}

/** A file or a directory on its path does not exist. */
export function isMissing(error: unknown): boolean {
  return error instanceof HostFileError && (error.reason === "not-found" || error.reason === "not-directory");
}
