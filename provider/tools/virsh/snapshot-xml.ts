// Builds the <domainsnapshot> XML we hand to `virsh snapshot-create` and parses `snapshot-dumpxml`.
import { z } from "zod";
import { parseOutput } from "../parse-output.js";
import { buildXml, buildXmlOrdered, type OrderedNode, parseXml, parseXmlOrdered } from "../xml.js";

export type DiskSnapshotMode = "internal" | "external" | "exclude";
export type MemorySnapshotMode = "none" | "internal" | "external";

/** What one disk does in a snapshot; `file` only for `external`. */
export interface DiskSnapshotSpec {
  readonly target: string;
  readonly mode: DiskSnapshotMode;
  readonly file?: string;
}

/** Everything the snapshot XML says; absent parts are left to libvirt's defaults. */
export interface SnapshotSpec {
  readonly name: string;
  readonly description?: string;
  readonly memory?: { readonly mode: MemorySnapshotMode; readonly file?: string };
  readonly disks?: readonly DiskSnapshotSpec[];
}

/** A snapshot as `snapshot-dumpxml` shows it. */
export interface SnapshotInfo {
  readonly name: string;
  readonly description?: string;
  /** Domain state when the snapshot was taken: `running`, `shutoff`, `disk-snapshot`, ... */
  readonly state: string;
  readonly parent?: string;
  /** Seconds since the epoch. */
  readonly creationTime: number;
  readonly memory: { readonly mode: MemorySnapshotMode; readonly file?: string };
  readonly disks: readonly DiskSnapshotSpec[];
  readonly domainUuid?: string;
  readonly domainName?: string;
}

// libvirt's words for each mode (domainsnapshot.rng: snapshot='no|internal|external|manual').
const DISK_MODE_XML: Readonly<Record<DiskSnapshotMode, string>> = {
  internal: "internal",
  external: "external",
  exclude: "no",
};
const MEMORY_MODE_XML: Readonly<Record<MemorySnapshotMode, string>> = {
  none: "no",
  internal: "internal",
  external: "external",
};

/** The XML for `snapshot-create`; values are escaped by the builder, never concatenated. */
export function buildSnapshotXml(spec: SnapshotSpec): string {
  const snapshot: Record<string, unknown> = { name: spec.name };
  if (spec.description !== undefined) snapshot.description = spec.description;
  if (spec.memory !== undefined) {
    snapshot.memory = {
      "@_snapshot": MEMORY_MODE_XML[spec.memory.mode],
      ...(spec.memory.file === undefined ? {} : { "@_file": spec.memory.file }),
    };
  }
  if (spec.disks !== undefined && spec.disks.length > 0) {
    snapshot.disks = {
      disk: spec.disks.map((disk) => ({
        "@_name": disk.target,
        "@_snapshot": DISK_MODE_XML[disk.mode],
        ...(disk.file === undefined ? {} : { source: { "@_file": disk.file } }),
      })),
    };
  }
  return buildXml({ domainsnapshot: snapshot });
}

const diskModeSchema = z.enum(["internal", "external", "no"]);
const snapshotSchema = z.object({
  domainsnapshot: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    state: z.string(),
    parent: z.object({ name: z.string() }).optional(),
    creationTime: z.string().regex(/^\d+$/),
    memory: z
      .object({ "@_snapshot": z.enum(["no", "internal", "external"]), "@_file": z.string().optional() })
      .optional(),
    disks: z
      .object({
        disk: z.array(
          z.object({
            "@_name": z.string(),
            "@_snapshot": diskModeSchema.optional(),
            source: z.object({ "@_file": z.string().optional() }).optional(),
          }),
        ),
      })
      .optional(),
    domain: z.object({ name: z.string().optional(), uuid: z.string().optional() }).optional(),
  }),
});

/** Parses `virsh snapshot-dumpxml`. */
export function parseSnapshotXml(xml: string): SnapshotInfo {
  const { domainsnapshot: s } = parseOutput("virsh snapshot-dumpxml", xml, snapshotSchema, (text) =>
    parseXml(text, ["domainsnapshot.disks.disk"]),
  );
  const memoryMode = s.memory?.["@_snapshot"] ?? "no";
  const memoryFile = s.memory?.["@_file"];
  return {
    name: s.name,
    ...(s.description === undefined ? {} : { description: s.description }),
    state: s.state,
    ...(s.parent === undefined ? {} : { parent: s.parent.name }),
    creationTime: Number(s.creationTime),
    memory: {
      mode: memoryMode === "no" ? "none" : memoryMode,
      ...(memoryFile === undefined ? {} : { file: memoryFile }),
    },
    disks: (s.disks?.disk ?? []).map((disk) => {
      const file = disk.source?.["@_file"];
      const mode = disk["@_snapshot"];
      return {
        target: disk["@_name"],
        mode: mode === "no" ? "exclude" : mode === "external" ? "external" : "internal",
        ...(file === undefined ? {} : { file }),
      };
    }),
    ...(s.domain?.uuid === undefined ? {} : { domainUuid: s.domain.uuid }),
    ...(s.domain?.name === undefined ? {} : { domainName: s.domain.name }),
  };
}

/**
 * The snapshot's full XML with its description replaced, for `snapshot-create --redefine`:
 * libvirt 9.0 changes a snapshot's description in place that way. Element order is kept.
 */
export function withDescription(dumpXml: string, description: string | undefined): string {
  const nodes = parseXmlOrdered(dumpXml);
  const root = nodes.find((node) => "domainsnapshot" in node);
  const children = root?.domainsnapshot;
  if (!Array.isArray(children)) {
    throw new Error("snapshot-dumpxml output has no <domainsnapshot> element");
  }
  const kept = (children as OrderedNode[]).filter((child) => !("description" in child));
  if (description !== undefined) {
    const nameIndex = kept.findIndex((child) => "name" in child);
    kept.splice(nameIndex + 1, 0, { description: [{ "#text": description }] });
  }
  return buildXmlOrdered([{ domainsnapshot: kept }]);
}
