// What to tell the user when libvirt refuses a snapshot operation: libvirt's reason plus the way out.
import { CommandError } from "../../host/errors.js";
import {
  DomainNotFoundError,
  DomainNotRunningError,
  JobActiveError,
  libvirtReason,
  OperationUnsupportedError,
  SnapshotExistsError,
} from "../../tools/virsh/errors.js";
import { ResourceError } from "../resource-error.js";

const RESOURCE = "DomainSnapshot";

/** Advice for refusals whose fix is not obvious from libvirt's words (libvirt 9.0 / QEMU 7.2). */
const CREATE_HINTS: readonly { pattern: RegExp; hint: string }[] = [
  {
    pattern:
      /internal snapshot of a running VM must include the memory state|active qemu domains require external disk snapshots/,
    hint: "On a running domain, libvirt takes internal snapshots only together with memory: set memory: 'internal', or use mode 'external' for the disks.",
  },
  {
    pattern:
      /must use snapshot mode 'internal'|require all disks to be selected|mixing internal and external/,
    hint: "libvirt takes internal snapshots of every disk or of none: remove the 'exclude' disks, or take an external snapshot to select a subset of disks.",
  },
  {
    pattern: /guest agent is not configured|guest agent is not connected|QEMU guest agent/,
    hint: "quiesce needs the QEMU guest agent running in the guest and a guest-agent channel in the domain: set quiesce: false or set up the agent.",
  },
  {
    pattern: /memory state cannot be saved with offline or disk-only snapshot/,
    hint: "The domain is shut off or the snapshot is disk-only, so there is no memory to save: set memory: 'none'.",
  },
  {
    pattern: /already exists and is not a block device|external snapshot file for disk \S+ already exists/,
    hint: "An overlay file of that name is already there: choose another file, or move the old one away.",
  },
];

/** A create failure rewritten for the user: what failed, where, why, and what to do. */
export function createFailure(error: unknown, snapshot: string, domain: string): Error {
  if (!(error instanceof CommandError)) return asError(error);
  const withCause = (message: string, cause: unknown) =>
    new ResourceError(RESOURCE, "create", message, cause);
  const what = `Could not create snapshot "${snapshot}" of domain "${domain}" on ${error.host}`;
  if (error instanceof DomainNotFoundError) {
    return withCause(`${what}: the domain does not exist. Check the domain name and the libvirt URI.`, error);
  }
  if (error instanceof SnapshotExistsError) {
    return withCause(
      `${what}: a snapshot of that name already exists. Set adopt: true to take it over, or choose another name.`,
      error,
    );
  }
  if (error instanceof JobActiveError) {
    return withCause(
      `${what}: ${libvirtReason(error.stderr)}. Another job is using the domain; run again when it has finished.`,
      error,
    );
  }
  if (error instanceof OperationUnsupportedError || error instanceof DomainNotRunningError) {
    const reason = libvirtReason(error.stderr);
    const hint = CREATE_HINTS.find(({ pattern }) => pattern.test(reason))?.hint ?? "";
    return withCause(`${what}: libvirt refused: ${reason}. ${hint}`.trim(), error);
  }
  return withCause(`${what}: ${error.message}`, error);
}

/** A delete refusal: libvirt's reason and the two ways to get the snapshot out of the stack. */
export function deleteFailure(error: unknown, snapshot: string, domain: string): Error {
  if (!(error instanceof CommandError)) return asError(error);
  const withCause = (message: string, cause: unknown) =>
    new ResourceError(RESOURCE, "delete", message, cause);
  const what = `Could not delete snapshot "${snapshot}" of domain "${domain}" on ${error.host}`;
  if (error instanceof OperationUnsupportedError) {
    return withCause(
      `${what}: libvirt refused: ${libvirtReason(error.stderr)}. ` +
        "Ways out: set onDelete: 'metadata-only' on the resource and run `pulumi up`, then delete again " +
        "(libvirt forgets the snapshot; its files stay and the domain keeps using them); or set the " +
        "resource option retainOnDelete: true (Pulumi forgets it and the snapshot stays on the host); " +
        "or delete its child snapshots first.",
      error,
    );
  }
  if (error instanceof JobActiveError) {
    return withCause(
      `${what}: ${libvirtReason(error.stderr)}. Another job is using the domain; run again when it has finished.`,
      error,
    );
  }
  return withCause(`${what}: ${error.message}`, error);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
