// virsh storage-pool and volume queries on a CommandRunner, and the domains that may hold a volume open.
import type { CommandRunner } from "../../host/command-runner.js";
import { domainDumpXmlArgv } from "./argv.js";
import { type DomainInfo, parseDomainXml } from "./domain-xml.js";
import { poolNamesArgv, poolVolumesArgv } from "./pool-argv.js";
import { type PoolVolume, parsePoolNames, parsePoolVolumes } from "./pool-output.js";
import { runVirsh } from "./run-virsh.js";
import { activeDomainUuidsArgv, volumePathArgv } from "./volume-argv.js";
import { parseVolumeDisks, type VolumeDiskSource } from "./volume-disk-xml.js";
import { parseDomainUuids, parseVolumePath } from "./volume-output.js";

/**
 * The path behind a pool's volume: StoragePoolNotFoundError, StoragePoolInactiveError or
 * StorageVolumeNotFoundError when there is none.
 */
export async function volumePath(
  runner: CommandRunner,
  uri: string,
  pool: string,
  volume: string,
): Promise<string> {
  return parseVolumePath(await runVirsh(runner, volumePathArgv(uri, pool, volume)));
}

/** Names of the defined pools (`all`), or of the active ones only. */
export async function listPools(
  runner: CommandRunner,
  uri: string,
  options: { all?: boolean } = {},
): Promise<string[]> {
  return parsePoolNames(await runVirsh(runner, poolNamesArgv(uri, options)));
}

/** The volumes of an active pool, sorted by name as virsh lists them. */
export async function listPoolVolumes(
  runner: CommandRunner,
  uri: string,
  pool: string,
): Promise<PoolVolume[]> {
  return parsePoolVolumes(await runVirsh(runner, poolVolumesArgv(uri, pool)));
}

/** UUIDs of the domains that have a QEMU process: running, paused, being shut down. */
export async function listActiveDomains(runner: CommandRunner, uri: string): Promise<string[]> {
  return parseDomainUuids(await runVirsh(runner, activeDomainUuidsArgv(uri)));
}

/** A domain's disks as `dumpxml` shows them, with the pool and volume of its `type='volume'` disks. */
export async function getDomainDisks(
  runner: CommandRunner,
  uri: string,
  domain: string,
): Promise<{ domain: DomainInfo; volumeDisks: VolumeDiskSource[] }> {
  const xml = await runVirsh(runner, domainDumpXmlArgv(uri, domain));
  return { domain: parseDomainXml(xml), volumeDisks: parseVolumeDisks(xml) };
}
