// Reads `virsh vol-path` (one path) and `virsh list --uuid` (one UUID per line).
import { z } from "zod";
import { parseOutput } from "../parse-output.js";
import { parseLineList } from "./name-list.js";

const pathSchema = z.string().min(1, { error: "no path" });

/** Parses `vol-path`: the path and a newline. It may be a network URL (`rbd:pool/image`) for network pools. */
export function parseVolumePath(text: string): string {
  return parseOutput("virsh vol-path", text, pathSchema, (raw) => {
    const lines = raw.replace(/\n$/, "").split("\n");
    if (lines.length !== 1) throw new Error(`expected one line, got ${lines.length}`);
    return lines[0];
  });
}

/** Parses `list --uuid`: one UUID per line, nothing when no domain is active. */
export function parseDomainUuids(text: string): string[] {
  return parseLineList("virsh list --uuid", text, z.guid({ error: "not a UUID" }));
}
