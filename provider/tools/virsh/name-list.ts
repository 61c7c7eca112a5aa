// virsh's `--name` / `--uuid` listings: one entry per line, space-padded, blank line at the end.
import { z } from "zod";
import { parseOutput } from "../parse-output.js";

/** The entries of a one-per-line listing, each checked with `entry` (default: any non-empty text). */
export function parseLineList(
  source: string,
  stdout: string,
  entry: z.ZodType<string> = z.string().min(1),
): string[] {
  return parseOutput(source, stdout, z.array(entry), (text) =>
    text
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== ""),
  );
}
