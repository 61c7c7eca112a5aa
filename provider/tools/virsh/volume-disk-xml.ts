// Reads the disks of `virsh dumpxml` that name a storage volume (`type='volume'`) instead of a file.
import { z } from "zod";
import { parseOutput } from "../parse-output.js";
import { parseXml } from "../xml.js";
import { DOMAIN_DISK_PATH } from "./domain-xml.js";

/** A disk whose source is a volume of a storage pool. */
export interface VolumeDiskSource {
  /** Guest target, e.g. `vda`. */
  readonly target: string;
  readonly pool: string;
  readonly volume: string;
}

const diskSchema = z.object({
  "@_type": z.string(),
  source: z
    .union([z.object({ "@_pool": z.string().optional(), "@_volume": z.string().optional() }), z.literal("")])
    .optional(),
  target: z.object({ "@_dev": z.string() }),
});

const domainSchema = z.object({
  domain: z.object({
    // `<devices/>` parses as "".
    devices: z.union([z.object({ disk: z.array(diskSchema).default([]) }), z.literal("")]).optional(),
  }),
});

/**
 * The `type='volume'` disks of a domain. libvirt 9.0 shows only `<source pool volume>` for them,
 * also while the domain runs: the file QEMU opened must be asked of the pool (`vol-path`).
 */
export function parseVolumeDisks(xml: string): VolumeDiskSource[] {
  const { domain } = parseOutput("virsh dumpxml", xml, domainSchema, (text) =>
    parseXml(text, [DOMAIN_DISK_PATH]),
  );
  const disks = domain.devices === undefined || domain.devices === "" ? [] : domain.devices.disk;
  return disks.flatMap((disk) => {
    const source = disk.source;
    if (disk["@_type"] !== "volume" || source === undefined || source === "") return [];
    const pool = source["@_pool"];
    const volume = source["@_volume"];
    return pool === undefined || volume === undefined ? [] : [{ target: disk.target["@_dev"], pool, volume }];
  });
}
