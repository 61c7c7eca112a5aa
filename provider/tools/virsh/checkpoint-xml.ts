// Builds the <domaincheckpoint> XML for backup-begin and checkpoint-create, and parses checkpoint-dumpxml.
import { z } from "zod";
import { parseOutput } from "../parse-output.js";
import { buildXml, parseXml } from "../xml.js";
import { parseLineList } from "./name-list.js";

/** libvirt's words (domaincheckpoint.rng): `bitmap` tracks the disk's writes, `no` leaves it out. */
export type DiskCheckpointMode = "bitmap" | "no";

/** What one disk does in a checkpoint; `bitmap` names the qcow2 bitmap (default: the checkpoint's name). */
export interface CheckpointDiskSpec {
  readonly target: string;
  readonly checkpoint: DiskCheckpointMode;
  readonly bitmap?: string;
}

export interface CheckpointSpec {
  readonly name: string;
  readonly description?: string;
  /** Per-disk choice; libvirt gives every disk that can have one a bitmap when this is absent. */
  readonly disks?: readonly CheckpointDiskSpec[];
}

/** A disk of a checkpoint as `checkpoint-dumpxml` shows it. */
export interface CheckpointDisk {
  readonly target: string;
  readonly checkpoint: DiskCheckpointMode;
  readonly bitmap?: string;
  /**
   * Bytes written to the disk since the checkpoint: what an incremental against it will copy.
   * Only with `--size`, and only when libvirt found the bitmap (see {@link disksMissingBitmap}).
   */
  readonly size?: number;
}

/** A checkpoint as `checkpoint-dumpxml` shows it. */
export interface CheckpointInfo {
  readonly name: string;
  readonly description?: string;
  readonly parent?: string;
  /** Seconds since the epoch (one-second resolution: order checkpoints by parent, not by time). */
  readonly creationTime: number;
  readonly disks: readonly CheckpointDisk[];
}

/** The XML for `checkpoint-create` or `backup-begin --checkpointxml`; values are escaped by the builder. */
export function buildCheckpointXml(spec: CheckpointSpec): string {
  const checkpoint: Record<string, unknown> = { name: spec.name };
  if (spec.description !== undefined) checkpoint.description = spec.description;
  if (spec.disks !== undefined && spec.disks.length > 0) {
    checkpoint.disks = {
      disk: spec.disks.map((disk) => ({
        "@_name": disk.target,
        "@_checkpoint": disk.checkpoint,
        ...(disk.bitmap === undefined ? {} : { "@_bitmap": disk.bitmap }),
      })),
    };
  }
  return buildXml({ domaincheckpoint: checkpoint });
}

const checkpointSchema = z.object({
  domaincheckpoint: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parent: z.object({ name: z.string().min(1) }).optional(),
    creationTime: z.string().regex(/^\d+$/),
    disks: z
      .object({
        disk: z.array(
          z.object({
            "@_name": z.string().min(1),
            "@_checkpoint": z.enum(["bitmap", "no"]),
            "@_bitmap": z.string().optional(),
            "@_size": z.string().regex(/^\d+$/).optional(),
          }),
        ),
      })
      .optional(),
  }),
});

/** Parses `virsh checkpoint-dumpxml`, with or without `--size` and `--no-domain`. */
export function parseCheckpointXml(xml: string): CheckpointInfo {
  const { domaincheckpoint: c } = parseOutput("virsh checkpoint-dumpxml", xml, checkpointSchema, (text) =>
    parseXml(text, ["domaincheckpoint.disks.disk"]),
  );
  return {
    name: c.name,
    ...(c.description === undefined ? {} : { description: c.description }),
    ...(c.parent === undefined ? {} : { parent: c.parent.name }),
    creationTime: Number(c.creationTime),
    disks: (c.disks?.disk ?? []).map((disk) => ({
      target: disk["@_name"],
      checkpoint: disk["@_checkpoint"],
      ...(disk["@_bitmap"] === undefined ? {} : { bitmap: disk["@_bitmap"] }),
      ...(disk["@_size"] === undefined ? {} : { size: Number(disk["@_size"]) }),
    })),
  };
}

/**
 * Disks whose bitmap libvirt could not find, from XML read with `--size`. libvirt 9.0 answers
 * `checkpoint-dumpxml --size` successfully when a bitmap was removed from the qcow2 image behind
 * its back, and just leaves out that disk's `size`; an incremental against the checkpoint then
 * fails with "checkpoint inconsistent: missing or broken bitmap".
 */
export function disksMissingBitmap(info: CheckpointInfo): string[] {
  return info.disks
    .filter((disk) => disk.checkpoint === "bitmap" && disk.size === undefined)
    .map((disk) => disk.target);
}

/** Parses `virsh checkpoint-list --name`: one name per line (virsh ends the list with a blank line). */
export function parseCheckpointList(stdout: string): string[] {
  return parseLineList("virsh checkpoint-list --name", stdout);
}
