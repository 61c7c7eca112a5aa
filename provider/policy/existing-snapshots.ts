// Which snapshots a domain has now: what a policy needs to know which older periods already have one.
import { VirtsnapError } from "../errors.js";
import { CommandError } from "../host/errors.js";
import { DomainNotFoundError, libvirtReason } from "../tools/virsh/errors.js";
import type { VirshClient } from "../tools/virsh/virsh-client.js";

/** Listing the domain's snapshots failed for another reason than the domain not existing yet. */
export class SnapshotListingError extends VirtsnapError {
  readonly code = "snapshot-listing-failed";

  constructor(component: string, domain: string, uri: string, cause: unknown) {
    const reason =
      cause instanceof CommandError
        ? `${libvirtReason(cause.stderr)} (on ${cause.host})`
        : cause instanceof Error
          ? cause.message
          : String(cause);
    super(
      `SnapshotPolicy "${component}" lists the snapshots of domain "${domain}" (virsh --connect ${uri} ` +
        `snapshot-list) to know which periods already have one, and that failed: ${reason}. ` +
        "The program needs the same libvirt access for `pulumi preview` as for `pulumi up`.",
      { cause },
    );
  }
}

/**
 * The names of the domain's snapshots. A domain that does not exist (yet: the same program may
 * define it) has none. Runs in the program, for preview and up alike: a read, nothing changes.
 */
export async function existingSnapshots(
  virsh: VirshClient,
  component: string,
  domain: string,
): Promise<string[]> {
  try {
    return await virsh.snapshotNames(domain);
  } catch (error) {
    if (error instanceof DomainNotFoundError) return [];
    throw new SnapshotListingError(component, domain, virsh.host.uri, error);
  }
}
