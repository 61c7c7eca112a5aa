// DomainSnapshot's inputs and outputs: the zod schema is the single source of truth for both.
import { z } from "zod";
import { absolutePath, diskTarget, freeText, libvirtUri, objectName } from "../../inputs/validators.js";

const diskSpec = z.discriminatedUnion(
  "mode",
  [
    z.strictObject({
      /** Snapshot the disk inside its qcow2 image. */
      mode: z.literal("internal"),
    }),
    z.strictObject({
      /** Snapshot the disk into a new overlay file; the domain goes on writing to the overlay. */
      mode: z.literal("external"),
      /** The overlay file (absolute path); default: libvirt names it after the image and the snapshot. */
      file: absolutePath.optional(),
    }),
    z.strictObject({
      /** Leave the disk out of the snapshot. */
      mode: z.literal("exclude"),
    }),
  ],
  { error: "must be { mode: 'internal' }, { mode: 'external', file?: '/abs/path' } or { mode: 'exclude' }" },
);

const memoryMode = z.enum(["none", "internal", "external"], {
  error: "must be 'none', 'internal' or 'external'",
});

const flag = (what: string) => z.boolean({ error: `must be true or false: ${what}` });

/** Inputs as the provider receives them (the SDK has filled in `uri` and `name`). */
export const domainSnapshotInputsSchema = z
  .strictObject({
    /** libvirt connection URI, e.g. `qemu:///system` or `qemu+ssh://root@host/system`. */
    uri: libvirtUri({ reachesHost: false }),
    /** The domain to snapshot, by name or UUID. */
    domain: objectName("domain name or UUID"),
    /** Snapshot name on the host (defaults to the resource name). */
    name: objectName("snapshot name"),
    /** Free text stored with the snapshot; changing it updates the snapshot in place. */
    description: freeText.optional(),
    /**
     * Per disk target (`vda`, ...): `internal` (inside the qcow2 image), `external` (a new
     * overlay file, optionally named by `file`) or `exclude`. Unlisted disks get libvirt's
     * default for the kind of snapshot taken.
     */
    disks: z.record(diskTarget, diskSpec).optional(),
    /**
     * Guest memory: `none` (disk-only), `internal` (saved inside the images; the full-system
     * snapshot virsh takes by default of a running domain) or `external` (to `memoryFile`).
     * Omitted: libvirt's default (memory with the disks when running, none when shut off).
     */
    memory: memoryMode.optional(),
    /** Absolute path for the saved memory of an `external` memory snapshot. */
    memoryFile: absolutePath.optional(),
    /** Freeze guest filesystems through the QEMU guest agent while taking a disk-only snapshot. */
    quiesce: flag("freeze guest filesystems through the guest agent").default(false),
    /** All disks or none: libvirt's atomic mode (default true). */
    atomic: flag("all disks or none").default(true),
    /** Keep the guest running while an external memory snapshot is saved. */
    live: flag("keep the guest running while memory is saved").default(false),
    /**
     * What deleting the resource does: `delete` removes the snapshot; `metadata-only` makes
     * libvirt forget it and leaves every file (the way out when libvirt cannot delete it).
     */
    onDelete: z
      .enum(["delete", "metadata-only"], { error: "must be 'delete' or 'metadata-only'" })
      .default("delete"),
    /** When a snapshot of this name already exists, take it over (after checking it matches). */
    adopt: flag("take over an existing snapshot of that name").default(false),
  })
  .superRefine((inputs, context) => {
    const fail = (path: string, message: string) =>
      context.addIssue({ code: "custom", path: [path], message });
    const modes = Object.values(inputs.disks ?? {}).map((disk) => disk.mode);
    if (inputs.memoryFile !== undefined && inputs.memory !== "external") {
      fail("memoryFile", "is only used with memory: 'external'; remove it or set memory: 'external'");
    }
    if (inputs.memory === "external" && inputs.memoryFile === undefined) {
      fail("memoryFile", "is required with memory: 'external': the absolute path libvirt saves guest RAM to");
    }
    if (inputs.live && inputs.memory !== "external") {
      fail("live", "only applies to memory: 'external'; remove it or set memory: 'external'");
    }
    if (inputs.quiesce && inputs.memory !== "none") {
      fail(
        "quiesce",
        "needs a disk-only snapshot: set memory: 'none' (and use external disks on a running domain)",
      );
    }
    // libvirt's QEMU driver cannot mix the two kinds in one snapshot, nor internal memory with external disks.
    if (modes.includes("internal") && modes.includes("external")) {
      fail("disks", "mixes 'internal' and 'external'; libvirt takes one kind per snapshot: pick one");
    }
    if (inputs.memory === "internal" && modes.includes("external")) {
      fail("disks", "has 'external' disks, but memory: 'internal' needs internal disk snapshots");
    }
    if (inputs.memory === "external" && modes.includes("internal")) {
      fail("disks", "has 'internal' disks, but memory: 'external' needs external disk snapshots");
    }
  });

export type DomainSnapshotInputs = z.output<typeof domainSnapshotInputsSchema>;
/** What the user may write (defaults not yet applied). */
export type DomainSnapshotArgs = z.input<typeof domainSnapshotInputsSchema>;

/** One disk as the snapshot really took it. */
export interface EffectiveDisk {
  /** `internal` (inside the qcow2 image), `external` (a new overlay file) or `exclude` (left out). */
  readonly mode: "internal" | "external" | "exclude";
  /** The overlay file of an external disk snapshot. */
  readonly file?: string;
}

/** Guest memory as the snapshot really took it. */
export interface EffectiveMemory {
  /** `none` (disk-only), `internal` (inside the images) or `external` (in `file`). */
  readonly mode: "none" | "internal" | "external";
  /** Where an external memory snapshot saved guest RAM. */
  readonly file?: string;
}

/** State: the inputs, plus what the host reports. Never holds `undefined` values. */
export interface DomainSnapshotOutputs extends DomainSnapshotInputs {
  /** Version of the provider code that wrote this state; a change makes `pulumi up` refresh it. */
  readonly providerVersion: string;
  readonly domainName: string;
  readonly domainUuid: string;
  /** ISO 8601 creation time. */
  readonly createdAt: string;
  /** Domain state when the snapshot was taken: `running`, `shutoff`, `disk-snapshot`, ... */
  readonly domainState: string;
  /** The parent snapshot's name, absent for a root snapshot. */
  readonly parent?: string;
  /** Per disk target, the mode libvirt used and the overlay file for external ones. */
  readonly snapshotDisks: Record<string, EffectiveDisk>;
  readonly snapshotMemory: EffectiveMemory;
  /** True when create found the snapshot already there and took it over (`adopt`). */
  readonly adopted: boolean;
}
