// Reads `qemu-img check --output=json` into our type: what is wrong with an image, if anything.
import { z } from "zod";
import { parseOutput } from "../parse-output.js";
import { optionalField } from "./optional-field.js";

/**
 * The outcome of a completed check. qemu-img exits 0 when the image is clean, 2 when it found
 * corruption, 3 when it found only leaked clusters; it prints this report in all three cases.
 */
export interface ImageCheck {
  readonly filename: string;
  readonly format: string;
  /** Errors that kept the check from examining everything (I/O errors, out of memory). */
  readonly checkErrors: number;
  /** Metadata inconsistencies that can lose or corrupt data. */
  readonly corruptions: number;
  /** Clusters allocated but unused: wasted space, no harm to data. */
  readonly leaks: number;
  /** Nothing wrong at all: no corruption, no leak, no check error. */
  readonly clean: boolean;
  /** Where the image's last allocated byte ends (qcow2): the file size it needs. */
  readonly imageEndOffset?: number;
  readonly totalClusters?: number;
  readonly allocatedClusters?: number;
  readonly fragmentedClusters?: number;
  readonly compressedClusters?: number;
}

const count = z.number().int().nonnegative();

// qemu-img leaves out counters that are zero (corruptions, leaks, fragmented-clusters, ...).
const checkSchema = z.object({
  filename: z.string().min(1),
  format: z.string().min(1),
  "check-errors": count,
  corruptions: count.default(0),
  leaks: count.default(0),
  "image-end-offset": count.optional(),
  "total-clusters": count.optional(),
  "allocated-clusters": count.optional(),
  "fragmented-clusters": count.optional(),
  "compressed-clusters": count.optional(),
});

/** Parses `qemu-img check --output=json`. Throws an OutputParseError carrying the raw text. */
export function parseImageCheck(json: string): ImageCheck {
  const check = parseOutput("qemu-img check --output=json", json, checkSchema, JSON.parse);
  // Cluster statistics exist for formats with clusters (qcow2); zero counters are left out.
  const clusters = check["total-clusters"] !== undefined;
  return {
    filename: check.filename,
    format: check.format,
    checkErrors: check["check-errors"],
    corruptions: check.corruptions,
    leaks: check.leaks,
    clean: check["check-errors"] === 0 && check.corruptions === 0 && check.leaks === 0,
    ...optionalField("imageEndOffset", check["image-end-offset"]),
    ...optionalField("totalClusters", check["total-clusters"]),
    ...optionalField("allocatedClusters", check["allocated-clusters"]),
    ...optionalField("fragmentedClusters", check["fragmented-clusters"] ?? (clusters ? 0 : undefined)),
    ...optionalField("compressedClusters", check["compressed-clusters"] ?? (clusters ? 0 : undefined)),
  };
}
