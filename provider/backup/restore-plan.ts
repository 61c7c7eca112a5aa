// Which files make up a point in time of a chain: the backup chosen and, per disk, its backing chain.
import { VirtsnapError } from "../errors.js";
import type { BackupRecord, Manifest } from "./manifest.js";

/** A restore that cannot be done as asked (no such point or disk, a damaged chain, an output in the way). */
export class RestoreError extends VirtsnapError {
  readonly code = "restore-failed";
}

/** A point in time: a backup's sequence, the latest backup, or the latest completed by a time. */
export type RestorePoint =
  | { readonly sequence: number }
  | { readonly latest: true }
  | { readonly time: Date };

export interface DiskRestore {
  readonly target: string;
  /** The backup's file for the disk: reading it (through its backing files) gives the disk then. */
  readonly top: string;
  /** Files from the top down to the full backup, relative to the chain directory. */
  readonly chain: readonly string[];
}

export interface RestorePlan {
  readonly backup: BackupRecord;
  readonly disks: readonly DiskRestore[];
}

/** The backup a point names in this chain; throws with the choices when there is none. */
export function findBackup(manifest: Manifest, point: RestorePoint): BackupRecord {
  const { backups } = manifest;
  if ("latest" in point) return backups[backups.length - 1] as BackupRecord;
  if ("sequence" in point) {
    const backup = backups.find((candidate) => candidate.sequence === point.sequence);
    if (backup === undefined) {
      throw new RestoreError(
        `chain ${manifest.chainId} has no backup ${point.sequence}: it has 0 to ${backups.length - 1}`,
      );
    }
    return backup;
  }
  const before = backups.filter((backup) => Date.parse(backup.completedAt) <= point.time.getTime());
  const backup = before.at(-1);
  if (backup === undefined) {
    throw new RestoreError(
      `chain ${manifest.chainId} has no backup completed by ${point.time.toISOString()}: its first completed at ${backups[0]?.completedAt}`,
    );
  }
  return backup;
}

/** The files to read for each requested disk (all of the chain's disks when none is named). */
export function planRestore(manifest: Manifest, point: RestorePoint, disks?: readonly string[]): RestorePlan {
  const backup = findBackup(manifest, point);
  const wanted = disks === undefined || disks.length === 0 ? manifest.disks : disks;
  const unknown = wanted.filter((disk) => !manifest.disks.includes(disk));
  if (unknown.length > 0) {
    throw new RestoreError(
      `chain ${manifest.chainId} has no disk ${unknown.join(", ")}: its disks are ${manifest.disks.join(", ")}`,
    );
  }
  return {
    backup,
    disks: wanted.map((target) => ({
      target,
      top: fileOf(backup, target),
      chain: manifest.backups
        .slice(0, backup.sequence + 1)
        .reverse()
        .map((earlier) => fileOf(earlier, target)),
    })),
  };
}

function fileOf(backup: BackupRecord, target: string): string {
  const disk = backup.disks.find((candidate) => candidate.target === target);
  if (disk === undefined) throw new RestoreError(`backup ${backup.sequence} has no file for disk ${target}`);
  return disk.file;
}
