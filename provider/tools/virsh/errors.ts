// virsh failures as typed errors, chosen by matching virsh's stderr (libvirt 9.0 wording).
import { CommandError, type CommandFailure } from "../../host/errors.js";

/** The domain does not exist (or is not visible on this connection). */
export class DomainNotFoundError extends CommandError {
  override readonly code = "domain-not-found";
}
/** The named snapshot does not exist on the domain. */
export class SnapshotNotFoundError extends CommandError {
  override readonly code = "snapshot-not-found";
}
/** A snapshot of that name already exists on the domain. */
export class SnapshotExistsError extends CommandError {
  override readonly code = "snapshot-exists";
}
/** libvirt or QEMU cannot do what was asked in this configuration; `reason` is libvirt's words. */
export class OperationUnsupportedError extends CommandError {
  override readonly code = "operation-unsupported";
  readonly reason: string;
  constructor(message: string, failure: CommandFailure, reason: string) {
    super(message, failure);
    this.reason = reason;
  }
}
/** Another job (block job, backup, migration) holds the domain or disk; retrying later may work. */
export class JobActiveError extends CommandError {
  override readonly code = "job-active";
}
/** The operation needs a running domain. */
export class DomainNotRunningError extends CommandError {
  override readonly code = "domain-not-running";
}
/** The named checkpoint does not exist on the domain (also: the one an incremental backup names). */
export class CheckpointNotFoundError extends CommandError {
  override readonly code = "checkpoint-not-found";
}
/** A checkpoint of that name already exists on the domain. */
export class CheckpointExistsError extends CommandError {
  override readonly code = "checkpoint-exists";
}
/**
 * libvirt knows the checkpoint but its bitmap is missing from (or broken in) a disk image:
 * no incremental backup can be taken against it, and only a metadata-only delete removes it.
 */
export class CheckpointInconsistentError extends CommandError {
  override readonly code = "checkpoint-inconsistent";
}
/** A backup target file already exists: libvirt never overwrites one. */
export class BackupTargetExistsError extends CommandError {
  override readonly code = "backup-target-exists";
}
/** No storage pool of that name (or UUID) is defined on this connection. */
export class StoragePoolNotFoundError extends CommandError {
  override readonly code = "storage-pool-not-found";
}
/** The storage pool is defined but not started: its volumes cannot be looked up. */
export class StoragePoolInactiveError extends CommandError {
  override readonly code = "storage-pool-inactive";
}
/** The storage pool has no volume of that name. */
export class StorageVolumeNotFoundError extends CommandError {
  override readonly code = "storage-volume-not-found";
}

type ErrorClass = new (message: string, failure: CommandFailure, reason: string) => CommandError;

/**
 * Ordered: the first entry whose pattern matches stderr decides the class. An entry that names
 * `subcommands` applies only to those virsh subcommands: libvirt 9.0 words some errors alike for
 * snapshots and checkpoints (both are "domain moments").
 */
const CLASSIFIERS: readonly { pattern: RegExp; errorClass: ErrorClass; subcommands?: readonly string[] }[] = [
  { pattern: /failed to get domain '|Domain not found:/, errorClass: DomainNotFoundError },
  { pattern: /Domain snapshot not found:/, errorClass: SnapshotNotFoundError },
  { pattern: /Domain checkpoint not found:/, errorClass: CheckpointNotFoundError },
  {
    pattern: /domain moment \S+ already exists/,
    errorClass: CheckpointExistsError,
    subcommands: ["checkpoint-create", "backup-begin"],
  },
  {
    pattern: /domain moment \S+ already exists|snapshot \S+ already exists/,
    errorClass: SnapshotExistsError,
  },
  {
    pattern:
      /already in active block job|has a blockjob assigned|cannot acquire state change lock|another (?:migration )?job|domain has active block job/,
    errorClass: JobActiveError,
  },
  { pattern: /for inactive domain|domain is not running/, errorClass: DomainNotRunningError },
  {
    pattern: /checkpoint inconsistent: |bitmap '[^']*' not found in backing chain/,
    errorClass: CheckpointInconsistentError,
  },
  { pattern: / for backup of '[^']*' exists$/m, errorClass: BackupTargetExistsError },
  { pattern: /Storage pool not found:/, errorClass: StoragePoolNotFoundError },
  // vol-path says "pool 'P' is not active", vol-list "storage pool 'P' is not active".
  { pattern: /pool '[^']*' is not active$/m, errorClass: StoragePoolInactiveError },
  { pattern: /Storage volume not found:/, errorClass: StorageVolumeNotFoundError },
  {
    pattern: /Operation not supported: |unsupported configuration: |argument unsupported: |XML error: /,
    errorClass: OperationUnsupportedError,
  },
];

/** libvirt's own explanation: the last `error: ` line without its prefix. */
export function libvirtReason(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("error: "));
  const last = lines.at(-1) ?? stderr.trim();
  return last.replace(/^error: /, "");
}

/**
 * Turns a failed virsh run into the most specific error class, keeping the run's fields, and
 * names `host` (the libvirt host the URI reaches, default: where virsh ran) as the error's host.
 * Anything that is not an unclassified CommandError (a bug, a timeout) is returned unchanged.
 */
export function classifyVirshError(error: unknown, host?: string): unknown {
  if (!(error instanceof CommandError) || !error.unclassified) return error;
  const where = host ?? error.host;
  const subcommand = virshSubcommand(error.argv);
  const match = CLASSIFIERS.find(
    ({ pattern, subcommands }) =>
      (subcommands === undefined || (subcommand !== undefined && subcommands.includes(subcommand))) &&
      pattern.test(error.stderr),
  );
  const failure = { ...error.failureCausedBy(), host: where };
  if (match === undefined) {
    return where === error.host ? error : new CommandError(CommandError.describe(failure), failure);
  }
  const reason = libvirtReason(error.stderr);
  return new match.errorClass(`libvirt on ${where}: ${reason}`, failure, reason);
}

/** The virsh subcommand in an argv (`snapshot-create` in `virsh --connect URI --quiet snapshot-create ...`). */
function virshSubcommand(argv: readonly string[]): string | undefined {
  for (let index = 1; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === "--connect" || arg === "-c") index++;
    else if (arg !== undefined && !arg.startsWith("-")) return arg;
  }
  return undefined;
}
