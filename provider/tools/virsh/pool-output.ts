// Reads `virsh pool-list --name` and `virsh vol-list`: pool names, and a pool's volumes with their paths.
import { z } from "zod";
import { parseOutput } from "../parse-output.js";
import { parseLineList } from "./name-list.js";

/** A volume as `vol-list` shows it. */
export interface PoolVolume {
  readonly name: string;
  /** The file, device or network URL behind it (what `vol-path` prints). */
  readonly path: string;
}

/** Parses `pool-list --name`: one name per line, padded with spaces to 20 characters (virsh 9.0). */
export function parsePoolNames(text: string): string[] {
  return parseLineList("virsh pool-list --name", text);
}

const volumesSchema = z.array(z.object({ name: z.string().min(1), path: z.string().min(1) }));

/** virsh's table puts this between a padded column and the next one. */
const COLUMN_GAP = "   ";

/**
 * Parses `vol-list --pool P` under `--quiet` (no header): each row is a space, the name padded
 * to the longest name, three spaces, then the path. A name may hold spaces, so the rows are
 * split where every row has the gap at the same column, and one row (the longest name) ends
 * right before it. virsh prints non-ASCII bytes of names as `\xff` in the C locale.
 */
export function parsePoolVolumes(text: string): PoolVolume[] {
  return parseOutput("virsh vol-list", text, volumesSchema, (raw) => {
    const rows = raw.split("\n").filter((line) => line.trim() !== "");
    if (rows.length === 0) return [];
    const column = pathColumn(rows);
    if (column === undefined) throw new Error("no column of paths lines up in every row");
    return rows.map((row) => ({
      name: row.slice(1, column - COLUMN_GAP.length).trimEnd(),
      path: row.slice(column).trimEnd(),
    }));
  });
}

function pathColumn(rows: readonly string[]): number | undefined {
  const width = Math.max(...rows.map((row) => row.length));
  for (let column = 1 + 1 + COLUMN_GAP.length; column < width; column++) {
    const start = column - COLUMN_GAP.length;
    const aligned = rows.every(
      (row) => row.slice(start, column) === COLUMN_GAP && row[column] !== undefined && row[column] !== " ",
    );
    if (aligned && rows.some((row) => row[start - 1] !== " ")) return column;
  }
  return undefined;
}
