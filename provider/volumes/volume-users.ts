// The in-use check: which running domains have an image open, as their disk or in a disk's backing chain.
import type { HostTools } from "../tools/host-tools.js";
import {
  DomainNotFoundError,
  StoragePoolInactiveError,
  StoragePoolNotFoundError,
  StorageVolumeNotFoundError,
} from "../tools/virsh/errors.js";
import { VolumeInUseError, type VolumeUser } from "./volume-errors.js";

/** One disk of a running domain: the image QEMU opened for it, and the files below it. */
interface OpenDisk {
  readonly domain: string;
  readonly domainUuid: string;
  readonly disk: string;
  /** Absent for a network disk or an empty cdrom. */
  readonly image: string | undefined;
  readonly backingChain: readonly string[];
}

/**
 * The running (or paused) domains that have the image at `path` (a canonical path, see
 * realPath) open: as a disk's image, or as a file in a disk's backing chain. Reads every
 * active domain's live XML (`virsh list --uuid`, `dumpxml`); a `type='volume'` disk is resolved
 * with `vol-path`; every path is canonicalized on the host (`realpath -m`) before comparing.
 *
 * This sees the domains of one libvirt connection. A QEMU started by hand, or a domain that
 * starts right after the check, is caught by QEMU's image locking instead: qemu-img then fails
 * to get the write lock (ImageLockedError) and writes nothing.
 */
export async function findVolumeUsers(tools: HostTools, path: string): Promise<VolumeUser[]> {
  const uuids = await tools.virsh.activeDomains();
  const disks = (await Promise.all(uuids.map((uuid) => openDisks(tools, uuid)))).flat();
  const paths = [...new Set(disks.flatMap((disk) => [disk.image ?? "", ...disk.backingChain]))].filter(
    (candidate) => candidate.startsWith("/"),
  );
  const canonical = new Map<string, string>();
  (await tools.files.canonicalPaths(paths)).forEach((resolved, index) => {
    canonical.set(paths[index] as string, resolved);
  });
  // Only absolute paths were canonicalized: anything else (a network source) never matches.
  const isTarget = (candidate: string | undefined) =>
    candidate !== undefined && canonical.get(candidate) === path;
  return disks.flatMap((disk): VolumeUser[] => {
    const via = isTarget(disk.image) ? "disk" : disk.backingChain.some(isTarget) ? "backing" : undefined;
    if (via === undefined) return [];
    return [
      {
        domain: disk.domain,
        domainUuid: disk.domainUuid,
        disk: disk.disk,
        image: disk.image ?? "(unknown)",
        via,
      },
    ];
  });
}

/**
 * Throws VolumeInUseError, naming the domains, when a running domain has the image open.
 * Call it right before any qemu-img write (snapshot create, delete, revert).
 */
export async function assertNotInUse(
  tools: HostTools,
  volume: { readonly label: string; readonly path: string },
): Promise<void> {
  const users = await findVolumeUsers(tools, volume.path);
  if (users.length > 0) throw new VolumeInUseError(volume.label, tools.files.host, users, volume.path);
}

async function openDisks(tools: HostTools, uuid: string): Promise<OpenDisk[]> {
  let found: Awaited<ReturnType<HostTools["virsh"]["domainWithVolumes"]>>;
  try {
    found = await tools.virsh.domainWithVolumes(uuid);
  } catch (error) {
    // Undefined (a transient domain that stopped) since the list was read: it holds nothing.
    if (error instanceof DomainNotFoundError) return [];
    throw error;
  }
  // Stopped since the list was read.
  if (!found.domain.active) return [];
  const disks: OpenDisk[] = [];
  for (const disk of found.domain.disks) {
    const volume = found.volumeDisks.find((candidate) => candidate.target === disk.target);
    const image =
      disk.source ??
      (volume === undefined ? undefined : await poolVolumeFile(tools, volume.pool, volume.volume));
    disks.push({
      domain: found.domain.name,
      domainUuid: found.domain.uuid,
      disk: disk.target,
      image,
      backingChain: disk.backingChain,
    });
  }
  return disks;
}

/**
 * The file of a `type='volume'` disk. A pool removed or stopped since the domain started cannot
 * tell: that disk is then left out, and QEMU's lock still guards the image.
 */
async function poolVolumeFile(tools: HostTools, pool: string, volume: string): Promise<string | undefined> {
  try {
    return await tools.virsh.volumePath(pool, volume);
  } catch (error) {
    if (
      error instanceof StoragePoolNotFoundError ||
      error instanceof StoragePoolInactiveError ||
      error instanceof StorageVolumeNotFoundError
    ) {
      return undefined;
    }
    throw error;
  }
}
