// Which snapshots a domain has now: what a policy needs to know which older periods already have one.
import type { CommandRunner } from "../host/command-runner.js";
import { CommandError } from "../host/errors.js";
import { listSnapshots } from "../tools/virsh/commands.js";
import { DomainNotFoundError, libvirtReason } from "../tools/virsh/errors.js";

/** Listing the domain's snapshots failed for another reason than the domain not existing yet. */
export class SnapshotListingError extends Error {
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
    this.name = "SnapshotListingError";
  }
}

/**
 * The names of the domain's snapshots. A domain that does not exist (yet: the same program may
 * define it) has none. Runs in the program, for preview and up alike: a read, nothing changes.
 */
export async function existingSnapshots(
  runner: CommandRunner,
  component: string,
  uri: string,
  domain: string,
): Promise<string[]> {
  try {
    return await listSnapshots(runner, uri, domain);
  } catch (error) {
    if (error instanceof DomainNotFoundError) return [];
    throw new SnapshotListingError(component, domain, uri, error);
  }
}
