// Pure builders of the virsh argv that find a storage volume's file and the domains that may have it open.
import { virshArgv } from "./argv.js";

/**
 * The file (or device, or network URL) behind a volume of a storage pool. virsh looks `volume` up
 * by name in the pool first (then as a key or path, which our names never are).
 */
export function volumePathArgv(uri: string, pool: string, volume: string): string[] {
  return virshArgv(uri, ["vol-path", "--pool", pool, volume]);
}

/**
 * UUIDs of the active domains (running, paused, or otherwise with a QEMU process), one per
 * line: unlike names, a UUID can be handed back to virsh without any quoting question.
 */
export function activeDomainUuidsArgv(uri: string): string[] {
  return virshArgv(uri, ["list", "--uuid"]);
}
