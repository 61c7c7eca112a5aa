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

/** Every input and output, so that each reaches the program (a missing or extra key is a type error). */
const OUTPUT_NAMES: Record<keyof DomainSnapshotOutputs, true> = {
  uri: true,
  domain: true,
  name: true,
  description: true,
  disks: true,
  memory: true,
  memoryFile: true,
  quiesce: true,
  atomic: true,
  live: true,
  onDelete: true,
  adopt: true,
  providerVersion: true,
  domainName: true,
  domainUuid: true,
  createdAt: true,
  domainState: true,
  parent: true,
  snapshotDisks: true,
  snapshotMemory: true,
  adopted: true,
};

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
  /** The libvirt URI the snapshot is taken through. */
  declare readonly uri: pulumi.Output<string>;
  /** The domain as given (name or UUID). */
  declare readonly domain: pulumi.Output<string>;
  /** The snapshot's name on the host. */
  declare readonly name: pulumi.Output<string>;
  /** The text stored with the snapshot, as libvirt has it now. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The disk modes asked for, per disk target. */
  declare readonly disks: Outputs<DomainSnapshotOutputs>["disks"];
  /** The memory mode asked for; undefined: libvirt's default. */
  declare readonly memory: pulumi.Output<"none" | "internal" | "external" | undefined>;
  /** Where guest memory is saved for `memory: "external"`. */
  declare readonly memoryFile: pulumi.Output<string | undefined>;
  /** Whether guest filesystems were frozen through the guest agent. */
  declare readonly quiesce: pulumi.Output<boolean>;
  /** Whether the snapshot took all disks or none (libvirt's atomic mode). */
  declare readonly atomic: pulumi.Output<boolean>;
  /** Whether the guest kept running while an external memory snapshot was saved. */
  declare readonly live: pulumi.Output<boolean>;
  /** What deleting the resource does: `delete` the snapshot, or only libvirt's record of it (`metadata-only`). */
  declare readonly onDelete: pulumi.Output<"delete" | "metadata-only">;
  /** Whether create took over a snapshot of that name that already existed. */
  declare readonly adopt: pulumi.Output<boolean>;
  /** Version of virtsnap that last wrote this resource's state. */
  declare readonly providerVersion: pulumi.Output<string>;
  /** The domain's name (also when `domain` was given as a UUID). */
  declare readonly domainName: pulumi.Output<string>;
  /** The domain's UUID: the identity the snapshot is recorded under. */
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
    const outputs = Object.fromEntries(Object.keys(OUTPUT_NAMES).map((key) => [key, undefined]));
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
