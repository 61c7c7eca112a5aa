// Nightly backups of a running VM: one backup per day, a full one every week, two weeks kept.
//
//   pulumi config set domain web1                        # the running libvirt domain to back up
//   pulumi config set directory /var/backups/vms/web1    # where the chains go, on the VM's host
//   pulumi up                                            # run it nightly, e.g. from cron or CI
//
// Restore (on the VM's host):
//   virtsnap list /var/backups/vms/web1                  # chains and backups
//   virtsnap restore /var/backups/vms/web1 --at 2026-11-27T23:59Z --to /var/tmp/restored
//   qemu-img convert -O qcow2 <chain>/0003-inc-vda.qcow2 vda.qcow2   # the same without virtsnap
import * as pulumi from "@pulumi/pulumi";
import { BackupChain, backupTrigger } from "virtsnap";

const config = new pulumi.Config();

const nightly = new BackupChain("nightly", {
  domain: config.require("domain"),
  directory: config.require("directory"),
  // The trigger is the current day: the first `up` of a day takes a backup, later ones that
  // day change nothing. (`pulumi config set now 2026-11-28` pins the day, e.g. for a rerun.)
  trigger: backupTrigger({ every: "day", now: config.get("now"), timeZone: config.get("timeZone") ?? "UTC" }),
  // One full backup, then six incrementals (only the blocks changed since the day before),
  // then a new chain: a week per chain.
  fullEvery: 7,
  // Two chains: between one and two weeks of daily restore points. Older chains are removed,
  // whole, when a new chain has started.
  keepChains: 2,
  // Every new backup is checked (qemu-img check, sizes, backing links) before it is recorded.
  verify: true,
  // `pulumi destroy` removes this resource's checkpoints from the VM but keeps the backups.
  deleteBackupsOnDestroy: false,
  // disks: ["vda"],  // by default every writable qcow2 disk is backed up
  // uri: "qemu+ssh://root@kvm1/system",  // a remote host: virsh over libvirt's ssh, the rest over ssh
});

export const lastBackupAt = nightly.lastBackupAt;
export const lastBackupLevel = nightly.lastBackupLevel;
export const why = nightly.lastBackupReason;
export const chains = nightly.chains.apply((list) =>
  list.map((chain) => ({ chain: chain.chainId, backups: chain.backups.length, directory: chain.directory })),
);
