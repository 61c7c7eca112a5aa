// DomainSnapshot: a libvirt domain snapshot (`virsh snapshot-create`) as a Pulumi resource.
import * as pulumi from "@pulumi/pulumi";
import { domainSnapshotProvider } from "../provider/resources/domain-snapshot/provider.js";
import type {
  DomainSnapshotOutputs,
  DomainSnapshotArgs as SchemaArgs,
} from "../provider/resources/domain-snapshot/schema.js";
import { type Inputs, type Outputs, resolveUri } from "./inputs.js";

/** Arguments of {@link DomainSnapshot}; `uri` and `name` have defaults. */
export interface DomainSnapshotArgs
  extends Inputs<Omit<SchemaArgs, "uri" | "name">>,
    Partial<Inputs<Pick<SchemaArgs, "uri" | "name">>> {}

const OUTPUT_NAMES = [
  "uri",
  "domain",
  "name",
  "description",
  "disks",
  "memory",
  "memoryFile",
  "quiesce",
  "atomic",
  "live",
  "onDelete",
  "adopt",
  "providerVersion",
  "domainName",
  "domainUuid",
  "createdAt",
  "domainState",
  "parent",
  "snapshotDisks",
  "snapshotMemory",
  "adopted",
] as const satisfies readonly (keyof DomainSnapshotOutputs)[];

/**
 * A snapshot of a libvirt domain: internal (inside qcow2 images), external (overlay files) or
 * a chosen subset of disks, with or without guest memory.
 *
 * Changing `description` updates the snapshot in place; any other change replaces it.
 * Deleting the resource deletes the snapshot (or, with `onDelete: "metadata-only"`, only
 * libvirt's record of it). A snapshot deleted behind Pulumi's back reads as gone on refresh.
 *
 * @example
 * ```ts
 * import { DomainSnapshot } from "virtsnap";
 *
 * // Before upgrading web1: an external disk-only snapshot of vda, leaving the data disk out.
 * const beforeUpgrade = new DomainSnapshot("before-upgrade", {
 *   domain: "web1",
 *   description: "before the 2026-12 kernel upgrade",
 *   memory: "none",
 *   disks: { vda: { mode: "external" }, vdb: { mode: "exclude" } },
 * });
 * export const snapshotTakenAt = beforeUpgrade.createdAt;
 * ```
 */
export class DomainSnapshot extends pulumi.dynamic.Resource {
  declare readonly uri: pulumi.Output<string>;
  declare readonly domain: pulumi.Output<string>;
  /** The snapshot's name on the host. */
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly onDelete: pulumi.Output<"delete" | "metadata-only">;
  /** Version of virtsnap that last wrote this resource's state. */
  declare readonly providerVersion: pulumi.Output<string>;
  /** The domain's name (also when `domain` was given as a UUID). */
  declare readonly domainName: pulumi.Output<string>;
  declare readonly domainUuid: pulumi.Output<string>;
  /** When libvirt took the snapshot (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string>;
  /** Domain state at the snapshot: `running`, `shutoff`, `disk-snapshot`, ... */
  declare readonly domainState: pulumi.Output<string>;
  /** Parent snapshot's name; undefined for a root snapshot. */
  declare readonly parent: pulumi.Output<string | undefined>;
  /** Per disk target, the mode libvirt used and an external snapshot's overlay file. */
  declare readonly snapshotDisks: Outputs<DomainSnapshotOutputs>["snapshotDisks"];
  /** The memory mode libvirt used and, for `external`, the memory file. */
  declare readonly snapshotMemory: Outputs<DomainSnapshotOutputs>["snapshotMemory"];
  /** True when an existing snapshot was taken over (`adopt`). */
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: DomainSnapshotArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = Object.fromEntries(OUTPUT_NAMES.map((key) => [key, undefined]));
    super(
      domainSnapshotProvider,
      name,
      { ...outputs, ...args, uri: resolveUri(args.uri), name: args.name ?? name },
      opts,
      "virtsnap",
      "DomainSnapshot",
    );
  }
}
