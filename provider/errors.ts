// The error model: every failure virtsnap raises is a VirtsnapError with a literal `code` and a `cause`.

/**
 * Every code a {@link VirtsnapError} can carry, one per kind of failure (in the manner of zod's
 * issue codes). Callers branch on `code`, never on a message.
 */
export type VirtsnapErrorCode =
  // A command on the host (host/): the run's facts are on CommandError.
  | "command-failed"
  | "program-not-found"
  | "command-timeout"
  | "ssh-connection-failed"
  | "libvirt-uri-invalid"
  | "transport-unsupported"
  // Tool output and file operations (tools/).
  | "output-unparsable"
  | "host-path-invalid"
  | "host-file-failed"
  // virsh (tools/virsh): what libvirt refused, from its stderr.
  | "domain-not-found"
  | "domain-not-running"
  | "snapshot-not-found"
  | "snapshot-exists"
  | "checkpoint-not-found"
  | "checkpoint-exists"
  | "checkpoint-inconsistent"
  | "backup-target-exists"
  | "job-active"
  | "operation-unsupported"
  | "storage-pool-not-found"
  | "storage-pool-inactive"
  | "storage-volume-not-found"
  | "backup-job-timeout"
  | "backup-job-outcome-unknown"
  // qemu-img (tools/qemu-img): what QEMU refused, from its stderr.
  | "qemu-img-failed"
  | "image-locked"
  | "image-not-found"
  | "backing-file-not-found"
  | "format-unsupported"
  | "not-qcow2"
  | "no-space"
  | "image-corrupt"
  | "image-snapshot-not-found"
  | "image-snapshot-exists"
  | "image-snapshot-ambiguous"
  | "image-has-bitmaps"
  // Backups, volumes and policies (backup/, volumes/, policy/).
  | "backup-failed"
  | "backup-disks-invalid"
  | "manifest-unusable"
  | "restore-failed"
  | "volume-unusable"
  | "volume-in-use"
  | "policy-invalid"
  | "snapshot-listing-failed"
  // The resource and CLI boundary.
  | "inputs-invalid"
  | "resource-failed"
  | "usage";

/**
 * The base of every error virtsnap raises. `code` says what kind of failure it is; `cause`
 * is the error it wraps (a tool failure under a resource's message, ...), kept whole so that
 * `--debug` can show the chain down to the command that failed.
 */
export abstract class VirtsnapError extends Error {
  abstract readonly code: VirtsnapErrorCode;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** `error` and each `cause` below it, outermost first (at most 20, a cycle stops it). */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 20; ) {
    if (chain.includes(current)) break;
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

/** The message of anything thrown: an Error's message, else its text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
