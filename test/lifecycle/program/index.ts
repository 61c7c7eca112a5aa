// The lifecycle tests' Pulumi program: declares the resources listed in stack config
// `snapshots` (DomainSnapshots), `backupChains` (BackupChains) and `volumeSnapshots` (VolumeSnapshots).
import * as pulumi from "@pulumi/pulumi";
import {
  BackupChain,
  type BackupChainArgs,
  DomainSnapshot,
  type DomainSnapshotArgs,
  VolumeSnapshot,
  type VolumeSnapshotArgs,
} from "virtsnap";

interface Spec<Args> {
  resource: string;
  args: Args;
  protect?: boolean;
  retainOnDelete?: boolean;
}

const config = new pulumi.Config();
const options = (spec: Spec<unknown>) => ({
  protect: spec.protect ?? false,
  retainOnDelete: spec.retainOnDelete ?? false,
});

export const snapshots = Object.fromEntries(
  (config.getObject<Spec<DomainSnapshotArgs>[]>("snapshots") ?? []).map((spec) => {
    const snapshot = new DomainSnapshot(spec.resource, spec.args, options(spec));
    const facts = pulumi
      .all([
        snapshot.name,
        snapshot.createdAt,
        snapshot.description,
        snapshot.snapshotDisks,
        snapshot.adopted,
      ])
      .apply(([name, createdAt, description, disks, adopted]) => ({
        name,
        createdAt,
        description: description ?? null,
        disks,
        adopted,
      }));
    return [spec.resource, facts];
  }),
);

export const backupChains = Object.fromEntries(
  (config.getObject<Spec<BackupChainArgs>[]>("backupChains") ?? []).map((spec) => {
    const chain = new BackupChain(spec.resource, spec.args, options(spec));
    const facts = pulumi
      .all([chain.chains, chain.lastBackupLevel, chain.lastBackupReason, chain.unreadableChains])
      .apply(([chains, lastBackupLevel, lastBackupReason, unreadableChains]) => ({
        chains,
        lastBackupLevel: lastBackupLevel ?? null,
        lastBackupReason: lastBackupReason ?? null,
        unreadableChains,
      }));
    return [spec.resource, facts];
  }),
);

export const volumeSnapshots = Object.fromEntries(
  (config.getObject<Spec<VolumeSnapshotArgs>[]>("volumeSnapshots") ?? []).map((spec) => {
    const snapshot = new VolumeSnapshot(spec.resource, spec.args, options(spec));
    const facts = pulumi
      .all([
        snapshot.name,
        snapshot.path,
        snapshot.format,
        snapshot.virtualSize,
        snapshot.snapshotId,
        snapshot.createdAt,
        snapshot.vmStateSize,
        snapshot.adopted,
      ])
      .apply(([name, path, format, virtualSize, snapshotId, createdAt, vmStateSize, adopted]) => ({
        name,
        path,
        format,
        virtualSize,
        snapshotId,
        createdAt,
        vmStateSize,
        adopted,
      }));
    return [spec.resource, facts];
  }),
);
