// VolumeSnapshot's inputs and outputs: the zod schema is the single source of truth for both.
import { z } from "zod";
import { libvirtUri, objectName } from "../../inputs/validators.js";
import { volumeRefSchema } from "../../volumes/volume-ref.js";

/** Inputs as the provider receives them (the SDK has filled in `uri` and `name`). */
export const volumeSnapshotInputsSchema = z.strictObject({
  /**
   * libvirt connection URI, e.g. `qemu:///system`. virsh reads the pools and running domains
   * through it; with a `+ssh` URI, qemu-img runs over ssh on that host.
   */
  uri: libvirtUri({ reachesHost: true }),
  /**
   * The qcow2 image: `{ path: "/var/lib/libvirt/images/golden.qcow2" }`, or a volume of a
   * libvirt storage pool, `{ pool: "golden", name: "debian-12.qcow2" }` (found with `virsh vol-path`).
   */
  volume: volumeRefSchema,
  /** The internal snapshot's name inside the image (defaults to the resource name). */
  name: objectName("snapshot name"),
  /** When the image already has a snapshot of this name, take it over instead of failing. */
  adopt: z
    .boolean({ error: "must be true or false: take over an existing snapshot of that name" })
    .default(false),
});

export type VolumeSnapshotInputs = z.output<typeof volumeSnapshotInputsSchema>;
/** What the user may write (defaults not yet applied). */
export type VolumeSnapshotArgs = z.input<typeof volumeSnapshotInputsSchema>;

/** State: the inputs, plus what `qemu-img info` reports. Never holds `undefined` values. */
export interface VolumeSnapshotOutputs extends VolumeSnapshotInputs {
  /** Version of the provider code that wrote this state; a change makes `pulumi up` refresh it. */
  readonly providerVersion: string;
  /** The image's canonical path on the host (symbolic links and the pool resolved). */
  readonly path: string;
  /** The image format: always `qcow2`. */
  readonly format: string;
  /** The size the guest sees, in bytes. */
  readonly virtualSize: number;
  /** qcow2's id of the snapshot inside the image ("1", "2", ...). */
  readonly snapshotId: string;
  /** When the snapshot was taken, ISO 8601 (UTC). */
  readonly createdAt: string;
  /** Bytes of saved guest state: 0 for a snapshot qemu-img took (disk only). */
  readonly vmStateSize: number;
  /** True when create found the snapshot already there and took it over (`adopt`). */
  readonly adopted: boolean;
}
