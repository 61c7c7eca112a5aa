// Removing one of our checkpoints from a domain, with libvirt 9.0's fallbacks: used by backup, retention and destroy.
import type { HostTools } from "../tools/host-tools.js";
import type { DomainDisk } from "../tools/virsh/domain-xml.js";
import { CheckpointInconsistentError, DomainNotRunningError } from "../tools/virsh/errors.js";

/** How a checkpoint left the domain. */
export type CheckpointRemoval =
  /** libvirt deleted it and merged its bitmap into the parent's: the next incremental still sees every change. */
  | "deleted"
  /**
   * libvirt forgot it without touching the images (`--metadata`): its bitmap was missing or
   * broken, or the domain was not running, so nothing could be merged.
   */
  | "forgotten";

/** What removing a checkpoint did, and what it could not clean up. */
export interface RemovedCheckpoint {
  readonly how: CheckpointRemoval;
  /** Bitmaps left in images of a stopped domain, each with the reason. */
  readonly notes: readonly string[];
}

/** The domain a checkpoint is removed from; its disks are read when a fallback needs them. */
export interface CheckpointDomain {
  readonly uuid: string;
  readonly disks?: readonly DomainDisk[];
}

/**
 * Deletes `checkpoint` from the domain. When libvirt cannot merge its bitmap (it is broken:
 * CheckpointInconsistentError; the domain is not running: DomainNotRunningError), libvirt is told
 * to forget it instead. A stopped domain's QEMU wrote the bitmap into the images when it shut
 * down: it is removed from them too (left in, the next backup would fail with "Bitmap already
 * exists"). Other failures (no such domain or checkpoint, a lost connection) are thrown.
 */
export async function removeCheckpoint(
  tools: HostTools,
  domain: CheckpointDomain,
  checkpoint: string,
): Promise<RemovedCheckpoint> {
  try {
    await tools.virsh.deleteCheckpoint(domain.uuid, checkpoint);
    return { how: "deleted", notes: [] };
  } catch (error) {
    if (!(error instanceof CheckpointInconsistentError || error instanceof DomainNotRunningError))
      throw error;
    await tools.virsh.deleteCheckpoint(domain.uuid, checkpoint, { metadataOnly: true });
    if (error instanceof CheckpointInconsistentError) return { how: "forgotten", notes: [] };
    const disks = domain.disks ?? (await tools.virsh.domain(domain.uuid)).disks;
    return { how: "forgotten", notes: await removeOrphanBitmaps(tools, disks, checkpoint) };
  }
}

/** Removes `bitmap` from the top image of each qcow2 disk of a stopped domain; returns what failed. */
async function removeOrphanBitmaps(
  tools: HostTools,
  disks: readonly DomainDisk[],
  bitmap: string,
): Promise<string[]> {
  const notes: string[] = [];
  for (const disk of disks) {
    if (disk.format !== "qcow2" || disk.source === undefined) continue;
    const source = disk.source;
    const info = await tools.qemuImg
      .info(source, { format: "qcow2", shareLocked: true })
      .catch(() => undefined);
    if (!info?.qcow2?.bitmaps.some((candidate) => candidate.name === bitmap)) continue;
    await tools.qemuImg.removeBitmap(source, bitmap).catch((error: Error) => {
      notes.push(`bitmap ${bitmap} stays in ${source}: ${error.message}`);
    });
  }
  return notes;
}
