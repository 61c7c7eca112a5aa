// Phase 5 of a backup that started a chain: drop the older chains' checkpoints and the chains beyond keepChains.
import { messageOf } from "../errors.js";
import type { HostTools } from "../tools/host-tools.js";
import { deleteChain } from "./chain-store.js";
import { removeCheckpoint } from "./checkpoints.js";
import type { Manifest } from "./manifest.js";
import type { BackupPlan } from "./plan-backup.js";
import { chainsToPrune, checkpointsToDelete } from "./retention.js";

/** The chains after retention, and what it could not do (retried at the next new chain). */
export interface RetentionOutcome {
  /** The chains this resource still owns, oldest first. */
  readonly kept: Manifest[];
  /** Chain ids removed. */
  readonly pruned: string[];
  readonly warnings: string[];
}

/**
 * After a new chain's first backup: the older chains' checkpoints of this resource are deleted
 * (incrementals only continue the newest chain), then whole chains beyond `keepChains` are
 * removed, oldest first, so no kept backup loses a file it depends on. Failures are warnings:
 * the backup itself is recorded already.
 */
export async function applyRetention(
  tools: HostTools,
  plan: BackupPlan,
  chains: readonly Manifest[],
  keepChains: number,
): Promise<RetentionOutcome> {
  const { log } = tools.host;
  const warnings: string[] = [];
  const stale = checkpointsToDelete(
    await tools.virsh.checkpointNames(plan.domain.uuid, { topological: true }),
    chains.map((chain) => chain.chainId),
    plan.chainId,
  ).reverse();
  for (const checkpoint of stale) {
    try {
      const removed = await removeCheckpoint(tools, plan.domain, checkpoint);
      warnings.push(...removed.notes);
    } catch (error) {
      warnings.push(`could not delete old checkpoint ${checkpoint}: ${messageOf(error)}`);
    }
  }
  if (stale.length > 0) log.info(`deleted ${stale.length} checkpoint(s) of older chains`);

  const pruned: string[] = [];
  for (const old of chainsToPrune(
    chains.map((chain) => chain.chainId),
    keepChains,
  )) {
    const chain = chains.find((candidate) => candidate.chainId === old) as Manifest;
    try {
      const removedDirectory = await deleteChain(tools.files, plan.target.directory, chain);
      pruned.push(old);
      log.info(
        `retention (keepChains ${keepChains}): removed chain ${old}` +
          (removedDirectory ? "" : " (its directory holds other files and was kept)"),
      );
    } catch (error) {
      warnings.push(`could not remove old chain ${old}: ${messageOf(error)}`);
    }
  }
  for (const warning of warnings) log.info(`warning: ${warning}`);
  return { kept: chains.filter((chain) => !pruned.includes(chain.chainId)), pruned, warnings };
}
