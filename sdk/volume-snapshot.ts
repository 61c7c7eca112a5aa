// VolumeSnapshot: an internal qcow2 snapshot (`qemu-img snapshot -c`) of an image no running domain uses.
import * as pulumi from "@pulumi/pulumi";
import { volumeSnapshotProvider } from "../provider/resources/volume-snapshot/provider.js";
import type {
  VolumeSnapshotArgs as SchemaArgs,
  VolumeSnapshotOutputs,
} from "../provider/resources/volume-snapshot/schema.js";
import { type Inputs, resolveUri } from "./inputs.js";

/** Arguments of {@link VolumeSnapshot}; `uri` and `name` have defaults. */
export interface VolumeSnapshotArgs
  extends Inputs<Omit<SchemaArgs, "uri" | "name">>,
    Partial<Inputs<Pick<SchemaArgs, "uri" | "name">>> {}

/** Every input and output, so that each reaches the program (a missing or extra key is a type error). */
const OUTPUT_NAMES: Record<keyof VolumeSnapshotOutputs, true> = {
  uri: true,
  volume: true,
  name: true,
  adopt: true,
  providerVersion: true,
  path: true,
  format: true,
  virtualSize: true,
  snapshotId: true,
  createdAt: true,
  vmStateSize: true,
  adopted: true,
};

/**
 * An internal snapshot inside a qcow2 image that no running domain uses: a golden image, the
 * disk of a shut-off VM, a volume of a libvirt storage pool. Taken with `qemu-img snapshot`,
 * so the image needs no domain at all.
 *
 * Before every write (create, delete) virtsnap checks that no running or paused domain has the
 * image open, either as a disk or below a disk in its backing chain, and fails naming the domain
 * otherwise: snapshot a running domain with `DomainSnapshot`. QEMU's image lock catches a
 * domain that starts between the check and the write; then nothing is written.
 *
 * Every input change replaces the snapshot. Deleting the resource deletes the snapshot from the
 * image (a snapshot or image already gone is fine). Revert an image to a snapshot with
 * `virtsnap volume revert <path|pool/volume> <snapshot> --yes`; list them with `virtsnap volume list`.
 *
 * @example
 * ```ts
 * import { VolumeSnapshot } from "virtsnap";
 *
 * // Before customizing the golden image in the "golden" dir pool.
 * const before = new VolumeSnapshot("before-2026-12-kernel", {
 *   volume: { pool: "golden", name: "debian-12.qcow2" },
 * });
 * export const image = before.path;
 * export const snapshotId = before.snapshotId;
 * ```
 */
export class VolumeSnapshot extends pulumi.dynamic.Resource {
  /** The libvirt URI through which pools and running domains are read, and whose host has the image. */
  declare readonly uri: pulumi.Output<string>;
  /** The volume as given: `{ path }` or `{ pool, name }`. */
  declare readonly volume: pulumi.Output<VolumeSnapshotOutputs["volume"]>;
  /** The snapshot's name inside the image. */
  declare readonly name: pulumi.Output<string>;
  /** Whether create took over a snapshot of that name that already existed in the image. */
  declare readonly adopt: pulumi.Output<boolean>;
  /** Version of virtsnap that last wrote this resource's state. */
  declare readonly providerVersion: pulumi.Output<string>;
  /** The image's canonical path on the host (the pool's volume and symbolic links resolved). */
  declare readonly path: pulumi.Output<string>;
  /** The image format: `qcow2`. */
  declare readonly format: pulumi.Output<string>;
  /** The size the guest sees, in bytes. */
  declare readonly virtualSize: pulumi.Output<number>;
  /** qcow2's id of the snapshot in the image, as `qemu-img snapshot -l` shows it. */
  declare readonly snapshotId: pulumi.Output<string>;
  /** When the snapshot was taken (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string>;
  /** Bytes of saved guest state: 0, since qemu-img snapshots hold disk contents only. */
  declare readonly vmStateSize: pulumi.Output<number>;
  /** True when an existing snapshot was taken over (`adopt`). */
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: VolumeSnapshotArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = Object.fromEntries(Object.keys(OUTPUT_NAMES).map((key) => [key, undefined]));
    super(
      volumeSnapshotProvider,
      name,
      { ...outputs, ...args, uri: resolveUri(args.uri), name: args.name ?? name },
      opts,
      "virtsnap",
      "VolumeSnapshot",
    );
  }
}
