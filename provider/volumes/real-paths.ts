// Paths resolved on the target host with `realpath`, so that two names of one file (symbolic links) compare equal.
import { z } from "zod";
import type { CommandRunner } from "../host/command-runner.js";
import { assertAbsolutePath } from "../host/host-file-argv.js";
import { classifyFileError } from "../host/host-file-errors.js";
import { parseOutput } from "../tools/parse-output.js";

/**
 * `realpath -z`: each result ends with NUL (a path may hold a newline). `existing` (`-e`) fails
 * when a path or a directory on the way is missing; otherwise (`-m`) missing parts are fine.
 */
export function realPathArgv(paths: readonly string[], options: { existing: boolean }): string[] {
  return ["realpath", options.existing ? "-e" : "-m", "-z", "--", ...paths];
}

const pathsSchema = z.array(z.string().startsWith("/", { error: "not an absolute path" }));

async function resolvePaths(
  host: CommandRunner,
  paths: readonly string[],
  existing: boolean,
): Promise<string[]> {
  for (const path of paths) assertAbsolutePath(path);
  if (paths.length === 0) return [];
  let stdout: string;
  try {
    stdout = (await host.run(realPathArgv(paths, { existing }))).stdout;
  } catch (error) {
    throw classifyFileError(error, "resolve", paths.join(", "));
  }
  const resolved = parseOutput("realpath -z", stdout, pathsSchema, (text) =>
    text === "" ? [] : text.replace(/\0$/, "").split("\0"),
  );
  if (resolved.length !== paths.length) {
    throw new Error(`realpath on ${host.host} answered ${resolved.length} paths for ${paths.length}`);
  }
  return resolved;
}

/**
 * The file's canonical path on the host: symbolic links, `.` and `..` resolved. A HostFileError
 * with reason `not-found` when it does not exist.
 */
export async function realPath(host: CommandRunner, path: string): Promise<string> {
  const [resolved] = await resolvePaths(host, [path], true);
  return resolved as string;
}

/** Canonical paths of `paths`, in the same order; a missing file is resolved as far as it exists. */
export async function canonicalPaths(host: CommandRunner, paths: readonly string[]): Promise<string[]> {
  return resolvePaths(host, paths, false);
}
