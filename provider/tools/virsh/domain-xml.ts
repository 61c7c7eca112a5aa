// Reads `virsh dumpxml`: the domain's identity, whether it runs, and its disks with their backing chains.
import { z } from "zod";
import { parseOutput } from "../parse-output.js";
import { parseXml } from "../xml.js";

/** A disk as libvirt describes it, reduced to what snapshots and backups need. */
export interface DomainDisk {
  /** Guest target, e.g. `vda`: the name snapshots and backups use for the disk. */
  readonly target: string;
  /** `disk`, `cdrom`, `floppy` or `lun`. */
  readonly device: string;
  /** Storage type: `file`, `block`, `network`, `volume`, ... */
  readonly type: string;
  /** Image format from `<driver type>`, e.g. `qcow2` or `raw`; absent when libvirt does not say. */
  readonly format?: string;
  /** The file or device path QEMU opens; absent for an empty cdrom or a network disk. */
  readonly source?: string;
  readonly readonly: boolean;
  /** Files below `source`, nearest first, as far as libvirt knows them (running domains). */
  readonly backingChain: readonly string[];
}

export interface DomainInfo {
  readonly name: string;
  readonly uuid: string;
  /** True when the domain runs (or is paused): libvirt gives active domains an `id`. */
  readonly active: boolean;
  readonly disks: readonly DomainDisk[];
}

const sourceSchema = z
  .object({
    "@_file": z.string().optional(),
    "@_dev": z.string().optional(),
    "@_volume": z.string().optional(),
    "@_pool": z.string().optional(),
  })
  .or(z.literal(""));

interface BackingStoreXml {
  source?: z.infer<typeof sourceSchema> | undefined;
  backingStore?: BackingStoreXml | "" | undefined;
}

const backingStoreSchema: z.ZodType<BackingStoreXml> = z.lazy(() =>
  z.object({
    source: sourceSchema.optional(),
    backingStore: z.union([backingStoreSchema, z.literal("")]).optional(),
  }),
);

const diskSchema = z.object({
  "@_type": z.string(),
  "@_device": z.string().default("disk"),
  driver: z.object({ "@_type": z.string().optional() }).optional(),
  source: sourceSchema.optional(),
  backingStore: z.union([backingStoreSchema, z.literal("")]).optional(),
  target: z.object({ "@_dev": z.string() }),
  readonly: z.literal("").optional(),
});

const domainSchema = z.object({
  domain: z.object({
    "@_id": z.string().optional(),
    name: z.string().min(1),
    uuid: z.string().min(1),
    devices: z.object({ disk: z.array(diskSchema).default([]) }).optional(),
  }),
});

export const DOMAIN_DISK_PATH = "domain.devices.disk";

/** Parses `virsh dumpxml` output. Throws an OutputParseError carrying the raw text on mismatch. */
export function parseDomainXml(xml: string): DomainInfo {
  const { domain } = parseOutput("virsh dumpxml", xml, domainSchema, (text) =>
    parseXml(text, [DOMAIN_DISK_PATH]),
  );
  return {
    name: domain.name,
    uuid: domain.uuid,
    active: domain["@_id"] !== undefined,
    disks: (domain.devices?.disk ?? []).map(toDisk),
  };
}

function toDisk(disk: z.infer<typeof diskSchema>): DomainDisk {
  const format = disk.driver?.["@_type"];
  const source = sourcePath(disk.source);
  return {
    target: disk.target["@_dev"],
    device: disk["@_device"],
    type: disk["@_type"],
    ...(format === undefined ? {} : { format }),
    ...(source === undefined ? {} : { source }),
    readonly: disk.readonly !== undefined,
    backingChain: backingFiles(disk.backingStore),
  };
}

function sourcePath(source: z.infer<typeof sourceSchema> | undefined): string | undefined {
  if (source === undefined || source === "") return undefined;
  return source["@_file"] ?? source["@_dev"];
}

function backingFiles(store: BackingStoreXml | "" | undefined): string[] {
  const files: string[] = [];
  for (let current = store; current !== undefined && current !== ""; current = current.backingStore) {
    const path = sourcePath(current.source);
    if (path !== undefined) files.push(path);
  }
  return files;
}
