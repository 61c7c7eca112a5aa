// Pure builders of the coreutils/findutils argv for file operations on the target host.
import { VirtsnapError } from "../../errors.js";

/** A path handed to a file operation is not an absolute path on the target host. */
export class HostPathError extends VirtsnapError {
  readonly code = "host-path-invalid";
  readonly path: string;

  constructor(path: string, detail: string) {
    super(`${JSON.stringify(path)} ${detail}`);
    this.path = path;
  }
}

/**
 * Every path must be absolute: a relative one would resolve against whatever directory the
 * command starts in (the ssh user's home on a remote host), and find would read one starting
 * with `-` as an option. NUL cannot be passed at all.
 */
export function assertAbsolutePath(path: string): void {
  if (!path.startsWith("/")) throw new HostPathError(path, "is not an absolute path on the target host");
  if (path.includes("\0")) throw new HostPathError(path, "contains a NUL byte");
}

/** `mkdir -p`: parents as needed, no error if it exists. `mode` applies to the last directory only. */
export function makeDirectoryArgv(path: string, mode?: number): string[] {
  if (mode !== undefined && !(Number.isInteger(mode) && mode >= 0 && mode <= 0o7777)) {
    throw new RangeError(`directory mode ${mode} is not a permission mode (0 to 0o7777)`);
  }
  return ["mkdir", "-p", ...(mode === undefined ? [] : ["-m", mode.toString(8)]), "--", path];
}

/**
 * Writes stdin to a new file and fsyncs it before exiting. `excl` refuses to reuse an existing
 * file, so a temp name that somehow exists is never overwritten.
 */
export function writeNewFileArgv(path: string): string[] {
  return ["dd", `of=${path}`, "conv=excl,fsync", "status=none"];
}

/** rename(2) within a directory: atomic; `-T` so that an existing directory at `to` is not entered. */
export function renameArgv(from: string, to: string): string[] {
  return ["mv", "-f", "-T", "--", from, to];
}

/** fsync of one file or directory (coreutils sync with an argument opens it and fsyncs it). */
export function syncArgv(path: string): string[] {
  return ["sync", "--", path];
}

export function readFileArgv(path: string): string[] {
  return ["cat", "--", path];
}

/** The stat fields {@link parseStat} reads: raw mode in hex, size, mtime (s), uid, gid. */
export const STAT_FORMAT = "%f %s %Y %u %g";

/** lstat: a symbolic link is reported as itself, not followed. */
export function statArgv(path: string): string[] {
  return ["stat", "-c", STAT_FORMAT, "--", path];
}

/**
 * The names in a directory, each followed by NUL (a name may contain a newline, never a NUL).
 * `-H` follows the directory itself when it is a symbolic link, as `ls` does.
 */
export function listNamesArgv(directory: string): string[] {
  return ["find", "-H", directory, "-mindepth", "1", "-maxdepth", "1", "-printf", "%f\\0"];
}

/** `rm -f`: a missing file is not an error; never `-r`. */
export function removeFilesArgv(paths: readonly string[]): string[] {
  return ["rm", "-f", "--", ...paths];
}

export function removeDirectoryArgv(path: string): string[] {
  return ["rmdir", "--", path];
}

/** Bytes available to an unprivileged user on the filesystem holding `path`. */
export function freeBytesArgv(path: string): string[] {
  return ["df", "-B1", "--output=avail", "--", path];
}

/** Copies the contents; `-T` so that an existing directory at `to` is not entered. */
export function copyFileArgv(from: string, to: string): string[] {
  return ["cp", "-T", "--", from, to];
}

/**
 * `realpath -z`: each result ends with NUL (a path may hold a newline). `existing` (`-e`) fails
 * when a path or a directory on the way is missing; otherwise (`-m`) missing parts are fine.
 */
export function realPathArgv(paths: readonly string[], options: { existing: boolean }): string[] {
  return ["realpath", options.existing ? "-e" : "-m", "-z", "--", ...paths];
}
