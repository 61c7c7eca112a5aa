// virtsnap's public API: the resources a Pulumi program declares.
export { DomainSnapshot, type DomainSnapshotArgs } from "./domain-snapshot.js";
