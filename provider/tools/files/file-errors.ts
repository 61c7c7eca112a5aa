// Failed file operations as one error class whose reason comes from coreutils' stderr (C locale).
import { CommandError, type CommandFailure } from "../../host/errors.js";

/** What went wrong, from the system error coreutils printed. */
export type HostFileErrorReason =
  | "not-found"
  | "permission-denied"
  | "no-space"
  | "read-only"
  | "exists"
  | "is-directory"
  | "not-directory"
  | "not-empty"
  | "other";

/**
 * A file operation on the target host failed; `reason` says why, `path` what it was about (for
 * a removal of several files, their paths joined by ", ").
 */
export class HostFileError extends CommandError {
  override readonly code = "host-file-failed";
  readonly operation: string;
  readonly path: string;
  readonly reason: HostFileErrorReason;

  constructor(
    message: string,
    failure: CommandFailure,
    operation: string,
    path: string,
    reason: HostFileErrorReason,
  ) {
    super(message, failure);
    this.operation = operation;
    this.path = path;
    this.reason = reason;
  }
}

/** Ordered: the first strerror text in stderr decides (coreutils 9.1 / findutils 4.9 wording). */
const CLASSIFIERS: readonly { pattern: RegExp; reason: HostFileErrorReason; hint: string }[] = [
  { pattern: /: No such file or directory$/m, reason: "not-found", hint: "" },
  {
    pattern: /: Permission denied$/m,
    reason: "permission-denied",
    hint: "the user the commands run as needs access there",
  },
  {
    pattern: /: No space left on device$|: Disk quota exceeded$/m,
    reason: "no-space",
    hint: "free space on that filesystem (`df -h` shows how much is left)",
  },
  { pattern: /: Read-only file system$/m, reason: "read-only", hint: "that filesystem is mounted read-only" },
  { pattern: /: File exists$/m, reason: "exists", hint: "" },
  { pattern: /: Is a directory$/m, reason: "is-directory", hint: "" },
  { pattern: /: Not a directory$/m, reason: "not-directory", hint: "a part of the path is a file" },
  { pattern: /: Directory not empty$/m, reason: "not-empty", hint: "" },
];

/**
 * Turns a failed coreutils run into a {@link HostFileError} that names the operation and its
 * subject (the quoted path unless given).
 * Anything that is not a plain CommandError (a missing program, a timeout, an ssh failure, a
 * bug) is returned unchanged: those say more about what happened than a file error would.
 */
export function classifyFileError(
  error: unknown,
  operation: string,
  path: string,
  subject = JSON.stringify(path),
): unknown {
  if (!(error instanceof CommandError) || !error.unclassified) return error;
  const match = CLASSIFIERS.find(({ pattern }) => pattern.test(error.stderr));
  const detail = lastLine(error.stderr) || `exited with code ${error.exitCode}`;
  const hint = match?.hint ? `: ${match.hint}` : "";
  const failure = error.failureCausedBy();
  return new HostFileError(
    `cannot ${operation} ${subject} on ${error.host} (${detail})${hint}`,
    failure,
    operation,
    path,
    match?.reason ?? "other",
  );
}

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1)?.trim() ?? "";
}
