// Reads `qemu-img compare`: its exit code says identical or not, its one line of stdout says where.
import { z } from "zod";
import { parseOutput } from "../parse-output.js";

/**
 * Whether two images show the guest the same bytes. Without strict mode, images of different
 * sizes are identical when the larger one's extra part reads as zeros (`sizesDiffer` then says so).
 */
export type ImageComparison =
  | { readonly identical: true; readonly sizesDiffer: boolean }
  /** The first differing byte is at `offset` (guest view). */
  | { readonly identical: false; readonly difference: "content"; readonly offset: number }
  /** Strict mode: the sizes differ, so the content was not compared. */
  | { readonly identical: false; readonly difference: "size" };

const IDENTICAL = /^Images are identical\.$/m;
const SIZE_WARNING = /^Warning: Image size mismatch!$/m;
const STRICT_SIZE = /^Strict mode: Image size mismatch!$/m;
const CONTENT = /^Content mismatch at offset (\d+)!$/m;

const comparisonSchema = z.union([
  z.object({ identical: z.literal(true), sizesDiffer: z.boolean() }),
  z.object({
    identical: z.literal(false),
    difference: z.literal("content"),
    offset: z.number().int().nonnegative(),
  }),
  z.object({ identical: z.literal(false), difference: z.literal("size") }),
]);

/**
 * Parses the stdout of a `qemu-img compare` that exited 0 (identical) or 1 (different); exit
 * code 2 is a failure and never reaches this. Throws an OutputParseError on unknown wording.
 */
export function parseImageComparison(exitCode: 0 | 1, stdout: string): ImageComparison {
  return parseOutput("qemu-img compare", stdout, comparisonSchema, (text) => {
    if (exitCode === 0) {
      return IDENTICAL.test(text) ? { identical: true, sizesDiffer: SIZE_WARNING.test(text) } : {};
    }
    if (STRICT_SIZE.test(text)) return { identical: false, difference: "size" };
    const offset = CONTENT.exec(text)?.[1];
    return offset === undefined ? {} : { identical: false, difference: "content", offset: Number(offset) };
  });
}
