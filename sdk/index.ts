// virtsnap's public API: the resources a Pulumi program declares.
export { BackupChain, type BackupChainArgs } from "./backup-chain.js";
export { DomainSnapshot, type DomainSnapshotArgs } from "./domain-snapshot.js";
