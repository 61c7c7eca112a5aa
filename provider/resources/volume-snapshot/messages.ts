// What to tell the user when a VolumeSnapshot cannot be taken or deleted: the reason, and the way out.
import { messageOf } from "../../errors.js";
import { ImageLockedError, ImageSnapshotExistsError } from "../../tools/qemu-img/errors.js";
import { VolumeInUseError } from "../../volumes/volume-errors.js";
import { ResourceError } from "../resource-error.js";

const RESOURCE = "VolumeSnapshot";

/**
 * QEMU's image lock stopped qemu-img: the in-use check found no running domain with the image,
 * but by the time qemu-img opened it something held it (a domain started in between, or a
 * QEMU that libvirt does not know). The lock is taken before anything is written.
 */
function lockedAfterCheck(error: ImageLockedError): string {
  return (
    `${error.path} on ${error.host} is locked by another process (${error.reason}): a domain (or another ` +
    "QEMU) opened it after virtsnap checked that no running domain uses it. Nothing was written. Shut that " +
    "domain down (or snapshot it with DomainSnapshot instead) and try again."
  );
}

/** A create failure: `Could not take snapshot "x" of /image.qcow2: <why and what to do>`. */
export function createFailure(error: unknown, what: string): Error {
  const withCause = (message: string, cause: unknown) =>
    new ResourceError(RESOURCE, "create", message, cause);
  if (error instanceof ImageLockedError)
    return withCause(`Could not take ${what}: ${lockedAfterCheck(error)}`, error);
  if (error instanceof ImageSnapshotExistsError) {
    return withCause(
      `Could not take ${what}: ${error.message}. Set adopt: true to take it over, or choose another name.`,
      error,
    );
  }
  return withCause(`Could not take ${what}: ${messageOf(error)}`, error);
}

/** A delete failure, with the ways to get the resource out of the stack when the image is busy. */
export function deleteFailure(error: unknown, what: string): Error {
  const withCause = (message: string, cause: unknown) =>
    new ResourceError(RESOURCE, "delete", message, cause);
  const wayOut =
    " Or set the resource option retainOnDelete: true and run `pulumi up`: Pulumi then forgets the " +
    "snapshot and it stays in the image.";
  if (error instanceof VolumeInUseError) {
    return withCause(`Could not delete ${what}: ${error.message}.${wayOut}`, error);
  }
  if (error instanceof ImageLockedError) {
    return withCause(`Could not delete ${what}: ${lockedAfterCheck(error)}${wayOut}`, error);
  }
  return withCause(`Could not delete ${what}: ${messageOf(error)}`, error);
}
