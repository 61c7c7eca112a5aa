// The lifecycle tests' Pulumi program: declares the DomainSnapshots listed in config `snapshots`.
import * as pulumi from "@pulumi/pulumi";
import { DomainSnapshot, type DomainSnapshotArgs } from "virtsnap";

interface SnapshotSpec {
  resource: string;
  args: DomainSnapshotArgs;
  protect?: boolean;
  retainOnDelete?: boolean;
}

const specs = new pulumi.Config().requireObject<SnapshotSpec[]>("snapshots");

export const snapshots = Object.fromEntries(
  specs.map((spec) => {
    const snapshot = new DomainSnapshot(spec.resource, spec.args, {
      protect: spec.protect ?? false,
      retainOnDelete: spec.retainOnDelete ?? false,
    });
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
