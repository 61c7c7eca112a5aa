// The chains in a backup directory, narrowed to one domain, and the chain a restore point falls in.
import { type FoundChain, findChains } from "../backup/chain-store.js";
import type { Manifest } from "../backup/manifest.js";
import { findBackup, RestoreError, type RestorePoint } from "../backup/restore-plan.js";
import type { HostFiles } from "../tools/files/host-files.js";
import { UsageError } from "./io.js";

/** The chains in `directory`, oldest first; with `domain` (name or UUID), only that domain's. */
export async function chainsIn(files: HostFiles, directory: string, domain?: string): Promise<FoundChain[]> {
  const found = await findChains(files, directory);
  if (domain === undefined) return found;
  return found.filter(
    (chain) =>
      !("manifest" in chain) ||
      chain.manifest.domain.name === domain ||
      chain.manifest.domain.uuid === domain,
  );
}

/**
 * The chain to restore from: `--chain` if given; for a time, the newest chain with a backup
 * completed by then; otherwise the newest chain. Readable chains only, of a single domain.
 */
export function pickChain(found: readonly FoundChain[], point: RestorePoint, chainId?: string): Manifest {
  const readable = found.flatMap((chain) => ("manifest" in chain ? [chain.manifest] : []));
  if (chainId !== undefined) {
    const chain = found.find((candidate) => candidate.chainId === chainId);
    if (chain === undefined) {
      throw new UsageError(
        `no chain ${chainId} here; chains: ${found.map((c) => c.chainId).join(", ") || "none"}`,
        "restore",
      );
    }
    if (!("manifest" in chain)) throw chain.error;
    return chain.manifest;
  }
  const domains = [...new Set(readable.map((chain) => chain.domain.name))];
  if (domains.length > 1) {
    throw new UsageError(
      `this directory holds backups of several domains (${domains.join(", ")}): add --domain NAME`,
      "restore",
    );
  }
  if (readable.length === 0) {
    throw new RestoreError(
      found.length === 0
        ? "no backup chains here"
        : `no readable backup chain here (${found.length} with unreadable manifests)`,
    );
  }
  if ("time" in point) {
    const chain = [...readable].reverse().find((candidate) => {
      try {
        findBackup(candidate, point);
        return true;
      } catch {
        return false;
      }
    });
    if (chain === undefined)
      throw new RestoreError(`no backup here completed by ${point.time.toISOString()}`);
    return chain;
  }
  return readable.at(-1) as Manifest;
}

/** `--at`: a sequence number, `latest`, or an ISO 8601 time. */
export function parsePoint(value: string | undefined): RestorePoint {
  if (value === undefined || value === "latest") return { latest: true };
  if (/^\d+$/.test(value)) return { sequence: Number(value) };
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new UsageError(
      `--at ${value}: give a backup number (0, 1, ...), latest, or a time such as 2026-11-28T03:00Z`,
      "restore",
    );
  }
  return { time: new Date(time) };
}
