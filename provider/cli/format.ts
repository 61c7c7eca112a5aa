// Tables and sizes for people: cli-table3 for tables, binary units for bytes.
import Table from "cli-table3";

/** A borderless, left-aligned table with a header row, as `virsh list` prints. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const output = new Table({
    head: [...head],
    chars: {
      top: "",
      "top-mid": "",
      "top-left": "",
      "top-right": "",
      bottom: "",
      "bottom-mid": "",
      "bottom-left": "",
      "bottom-right": "",
      left: "",
      "left-mid": "",
      mid: "",
      "mid-mid": "",
      right: "",
      "right-mid": "",
      middle: "  ",
    },
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
  });
  output.push(...rows.map((row) => [...row]));
  return output.toString().replace(/[ \t]+$/gm, "");
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
