// Builds the <domainbackup mode='push'> XML we hand to `virsh backup-begin`.
import { buildXml } from "../xml.js";

/**
 * One disk of a backup: copied into `file`, or left out. `file` is an absolute path on the host
 * whose directory exists and which does not (libvirt never overwrites a target). libvirt 9.0
 * creates it, lets QEMU write it, and leaves it `root:root 0600`; it removes the file when the
 * job fails or is aborted. QEMU opens it in its own mount namespace: a file system mounted on the
 * host after the domain started may not be visible there (hosts whose `/` is a private mount).
 */
export type BackupDiskSpec =
  | {
      readonly target: string;
      readonly backup: "yes";
      readonly file: string;
      /** Image format of the target file. Default `qcow2`, the only one an incremental can use. */
      readonly format?: "qcow2" | "raw";
    }
  | { readonly target: string; readonly backup: "no" };

/** A push-mode backup: QEMU writes each disk into a new file on the host. */
export interface BackupSpec {
  /**
   * Copy only the blocks written since this checkpoint. libvirt 9.0 creates the incremental
   * file with the *live disk* as its backing file: read as-is it shows today's data, so it must be
   * rebased (`qemu-img rebase -u`) onto the previous backup before anything reads it.
   */
  readonly incremental?: string;
  /** Per-disk choice; libvirt backs up every disk it can to a default file when this is absent. */
  readonly disks?: readonly BackupDiskSpec[];
}

/** The XML for `backup-begin --backupxml`; values are escaped by the builder, never concatenated. */
export function buildBackupXml(spec: BackupSpec): string {
  const backup: Record<string, unknown> = { "@_mode": "push" };
  if (spec.incremental !== undefined) backup.incremental = spec.incremental;
  if (spec.disks !== undefined && spec.disks.length > 0) {
    backup.disks = {
      disk: spec.disks.map((disk) =>
        disk.backup === "no"
          ? { "@_name": disk.target, "@_backup": "no" }
          : {
              "@_name": disk.target,
              "@_backup": "yes",
              "@_type": "file",
              driver: { "@_type": disk.format ?? "qcow2" },
              target: { "@_file": disk.file },
            },
      ),
    };
  }
  return buildXml({ domainbackup: backup });
}
