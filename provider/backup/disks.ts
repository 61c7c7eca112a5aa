// Which of a domain's disks a backup covers, and why a disk cannot be backed up.
import { VirtsnapError } from "../errors.js";
import type { DomainDisk, DomainInfo } from "../tools/virsh/domain-xml.js";

/** The disks asked for (or, by default, found) cannot be backed up; nothing ran. */
export class BackupDisksError extends VirtsnapError {
  readonly code = "backup-disks-invalid";
}

/**
 * The disks to back up: those asked for, or by default every writable qcow2 disk. Throws,
 * before anything runs, for a disk the domain lacks or one that cannot carry a checkpoint.
 */
export function selectBackupDisks(domain: DomainInfo, wanted: readonly string[] | undefined): DomainDisk[] {
  if (wanted === undefined || wanted.length === 0) {
    const disks = domain.disks.filter(
      (disk) => disk.device === "disk" && !disk.readonly && disk.format === "qcow2",
    );
    if (disks.length === 0) {
      throw new BackupDisksError(
        `Domain "${domain.name}" has no writable qcow2 disk to back up (its disks: ${describe(domain.disks)}). ` +
          "Incremental backups keep their dirty bitmaps inside qcow2 images.",
      );
    }
    return disks;
  }
  return wanted.map((target) => {
    const disk = domain.disks.find((candidate) => candidate.target === target);
    if (disk === undefined) {
      throw new BackupDisksError(
        `disks: domain "${domain.name}" has no disk ${target} (its disks: ${describe(domain.disks)}).`,
      );
    }
    if (disk.device !== "disk") {
      throw new BackupDisksError(
        `disks: ${target} of domain "${domain.name}" is a ${disk.device}, not a disk: leave it out.`,
      );
    }
    if (disk.format !== "qcow2") {
      throw new BackupDisksError(
        `disks: ${target} of domain "${domain.name}" is ${disk.format ?? "of unknown format"}, not qcow2. ` +
          "Checkpoints keep their dirty bitmap inside a qcow2 image, so incremental backups need qcow2: " +
          `leave ${target} out of disks, or convert it (qemu-img convert -O qcow2) while the domain is shut off.`,
      );
    }
    return disk;
  });
}

function describe(disks: readonly DomainDisk[]): string {
  return disks.map((disk) => `${disk.target} (${disk.device}, ${disk.format ?? "?"})`).join(", ") || "none";
}
