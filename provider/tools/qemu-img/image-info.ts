// Reads `qemu-img info --output=json` (one image, or an array with --backing-chain) into our types.
import { z } from "zod";
import { parseOutput } from "../parse-output.js";
import { optionalField } from "./optional-field.js";

/** An internal snapshot stored in a qcow2 image. */
export interface ImageSnapshot {
  /** qcow2's numeric id as a string ("1", "2", ...); unique in the image, never reused while the image lives. */
  readonly id: string;
  readonly name: string;
  /** Bytes of saved guest state (RAM, devices); 0 for a disk-only snapshot (e.g. made by qemu-img). */
  readonly vmStateSize: number;
  /** When it was taken, ISO 8601 in UTC with milliseconds. */
  readonly createdAt: string;
  /** The same moment as qemu records it: seconds and nanoseconds since the epoch. */
  readonly dateSec: number;
  readonly dateNsec: number;
  /** The guest clock at the snapshot (0 when no guest ran). */
  readonly vmClockSec: number;
  readonly vmClockNsec: number;
  /** Instruction count for record/replay; absent when QEMU did not record one. */
  readonly icount?: number;
}

/** A persistent dirty bitmap in a qcow2 image; libvirt stores each checkpoint as one. */
export interface ImageBitmap {
  readonly name: string;
  /** Bytes of guest disk per bit. */
  readonly granularity: number;
  /** qemu's flags as printed: `auto` (enabled: tracks writes), `in-use` (a QEMU has it open, or crashed with it). */
  readonly flags: readonly string[];
  /** `auto`: the bitmap records every write. */
  readonly enabled: boolean;
  /** `in-use`: a running QEMU owns it (the copy on disk is stale), or one died without saving it (inconsistent). */
  readonly inUse: boolean;
}

/** What the qcow2 header says beyond the generic fields. */
export interface Qcow2Details {
  /** `1.1` (QEMU ≥ 1.1) or `0.10`. */
  readonly compat: string;
  readonly lazyRefcounts: boolean;
  /** QEMU found an inconsistency and marked the image: it will not open it read/write. */
  readonly corrupt: boolean;
  readonly refcountBits: number;
  readonly compressionType?: string;
  readonly extendedL2?: boolean;
  /** An external data file, when the image keeps its data outside the qcow2 file. */
  readonly dataFile?: string;
  readonly bitmaps: readonly ImageBitmap[];
}

export interface ImageInfo {
  /** The file as qemu-img opened it (the argument given, or the resolved backing path in a chain). */
  readonly filename: string;
  /** `qcow2`, `raw`, ... */
  readonly format: string;
  /** Size the guest sees, in bytes. */
  readonly virtualSize: number;
  /** Bytes the file occupies on the host; absent when qemu cannot tell. */
  readonly actualSize?: number;
  /** The image was not closed cleanly with lazy refcounts on: it needs a check before use. */
  readonly dirty: boolean;
  readonly clusterSize?: number;
  readonly encrypted: boolean;
  /** The backing file name exactly as the header records it (may be relative to the image's directory). */
  readonly backingFilename?: string;
  /** The same name resolved against the image's directory (not normalized: `dir/./name` stays). */
  readonly fullBackingFilename?: string;
  /** The backing file's format as recorded in the header; absent when it was never recorded. */
  readonly backingFilenameFormat?: string;
  /** Internal snapshots, in the order the image lists them (oldest first). */
  readonly snapshots: readonly ImageSnapshot[];
  /** Present for qcow2 images. */
  readonly qcow2?: Qcow2Details;
}

const count = z.number().int().nonnegative();

const snapshotSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  "vm-state-size": count,
  "date-sec": count,
  "date-nsec": count,
  "vm-clock-sec": count,
  "vm-clock-nsec": count,
  icount: count.optional(),
});

const bitmapSchema = z.object({
  name: z.string().min(1),
  granularity: count,
  flags: z.array(z.string()),
});

const qcow2DataSchema = z.object({
  compat: z.string(),
  "lazy-refcounts": z.boolean().optional(),
  corrupt: z.boolean().optional(),
  "refcount-bits": count,
  "compression-type": z.string().optional(),
  "extended-l2": z.boolean().optional(),
  "data-file": z.string().optional(),
  bitmaps: z.array(bitmapSchema).optional(),
});

// Other formats (vmdk, luks, ...) have format-specific data we do not read; a qcow2 entry
// whose data does not fit fails both branches instead of passing as "another format".
const formatSpecificSchema = z.union([
  z.object({ type: z.literal("qcow2"), data: qcow2DataSchema }),
  z.object({ type: z.string().refine((type) => type !== "qcow2") }),
]);

const imageSchema = z.object({
  filename: z.string().min(1),
  format: z.string().min(1),
  "virtual-size": count,
  "actual-size": count.optional(),
  "dirty-flag": z.boolean().optional(),
  "cluster-size": count.optional(),
  encrypted: z.boolean().optional(),
  "backing-filename": z.string().optional(),
  "full-backing-filename": z.string().optional(),
  "backing-filename-format": z.string().optional(),
  snapshots: z.array(snapshotSchema).optional(),
  "format-specific": formatSpecificSchema.optional(),
});

type ImageJson = z.output<typeof imageSchema>;

/** Parses `qemu-img info --output=json` for one image. Throws an OutputParseError carrying the raw text. */
export function parseImageInfo(json: string): ImageInfo {
  return toImageInfo(parseOutput("qemu-img info --output=json", json, imageSchema, JSON.parse));
}

/** Parses `qemu-img info --output=json --backing-chain`: the image first, then each backing file down. */
export function parseImageInfoChain(json: string): ImageInfo[] {
  return parseOutput(
    "qemu-img info --output=json --backing-chain",
    json,
    z.array(imageSchema).min(1),
    JSON.parse,
  ).map(toImageInfo);
}

function toImageInfo(image: ImageJson): ImageInfo {
  const specific = image["format-specific"];
  return {
    filename: image.filename,
    format: image.format,
    virtualSize: image["virtual-size"],
    ...optionalField("actualSize", image["actual-size"]),
    dirty: image["dirty-flag"] ?? false,
    ...optionalField("clusterSize", image["cluster-size"]),
    encrypted: image.encrypted ?? false,
    ...optionalField("backingFilename", image["backing-filename"]),
    ...optionalField("fullBackingFilename", image["full-backing-filename"]),
    ...optionalField("backingFilenameFormat", image["backing-filename-format"]),
    snapshots: (image.snapshots ?? []).map(toSnapshot),
    ...(specific !== undefined && "data" in specific ? { qcow2: toQcow2(specific.data) } : {}),
  };
}

function toSnapshot(snapshot: z.output<typeof snapshotSchema>): ImageSnapshot {
  const millis = snapshot["date-sec"] * 1000 + Math.floor(snapshot["date-nsec"] / 1_000_000);
  return {
    id: snapshot.id,
    name: snapshot.name,
    vmStateSize: snapshot["vm-state-size"],
    createdAt: new Date(millis).toISOString(),
    dateSec: snapshot["date-sec"],
    dateNsec: snapshot["date-nsec"],
    vmClockSec: snapshot["vm-clock-sec"],
    vmClockNsec: snapshot["vm-clock-nsec"],
    ...optionalField("icount", snapshot.icount),
  };
}

function toQcow2(data: z.output<typeof qcow2DataSchema>): Qcow2Details {
  return {
    compat: data.compat,
    lazyRefcounts: data["lazy-refcounts"] ?? false,
    corrupt: data.corrupt ?? false,
    refcountBits: data["refcount-bits"],
    ...optionalField("compressionType", data["compression-type"]),
    ...optionalField("extendedL2", data["extended-l2"]),
    ...optionalField("dataFile", data["data-file"]),
    bitmaps: (data.bitmaps ?? []).map((bitmap) => ({
      name: bitmap.name,
      granularity: bitmap.granularity,
      flags: bitmap.flags,
      enabled: bitmap.flags.includes("auto"),
      inUse: bitmap.flags.includes("in-use"),
    })),
  };
}
