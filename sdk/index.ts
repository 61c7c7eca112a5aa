// virtsnap's public API: the resources a Pulumi program declares, and the types of their outputs.

export type {
  BackupFileOutput,
  BackupOutput,
  ChainOutput,
  UnreadableChainOutput,
} from "../provider/resources/backup-chain/schema.js";
export type { EffectiveDisk, EffectiveMemory } from "../provider/resources/domain-snapshot/schema.js";
export { BackupChain, type BackupChainArgs } from "./backup-chain.js";
export { type BackupTriggerArgs, backupTrigger } from "./backup-trigger.js";
export { DomainSnapshot, type DomainSnapshotArgs } from "./domain-snapshot.js";
export { type PolicySnapshot, SnapshotPolicy, type SnapshotPolicyArgs } from "./snapshot-policy.js";
export { VolumeSnapshot, type VolumeSnapshotArgs } from "./volume-snapshot.js";
