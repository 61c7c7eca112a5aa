// Which backup comes next and which chains go: pure decisions, table-tested, no host calls.
import { chainOfCheckpoint } from "./naming.js";

/** What planning needs to know about the newest chain. */
export interface ChainSummary {
  readonly chainId: string;
  /** Backups in the chain so far (the full one included). */
  readonly backups: number;
  /** Disks the chain covers. */
  readonly disks: readonly string[];
  /** The checkpoint of the chain's last backup. */
  readonly lastCheckpoint: string;
}

export type NextBackup =
  | { readonly level: "full"; readonly reason: string }
  | {
      readonly level: "incremental";
      readonly chainId: string;
      readonly sequence: number;
      readonly incrementalFrom: string;
      readonly reason: string;
    };

export interface PlanInput {
  /** The newest chain, if there is one. */
  readonly latest?: ChainSummary;
  /** Backups per chain: 1 full + (fullEvery - 1) incrementals. */
  readonly fullEvery: number;
  /** The disks this backup must cover. */
  readonly disks: readonly string[];
  /** Why the latest chain cannot be continued (checkpoint or bitmap gone, manifest unreadable), if so. */
  readonly checkpointProblem?: string;
}

/**
 * An incremental continuing the newest chain while it is shorter than `fullEvery`, covers the
 * same disks and its last checkpoint is intact; otherwise a full backup starting a new chain.
 * The reason says which rule decided.
 */
export function planNextBackup(input: PlanInput): NextBackup {
  const { latest, fullEvery } = input;
  if (latest === undefined) {
    return {
      level: "full",
      reason:
        input.checkpointProblem === undefined
          ? "first backup: a new chain starts"
          : `${input.checkpointProblem}: a new chain starts with a full backup`,
    };
  }
  if (latest.backups >= fullEvery) {
    return {
      level: "full",
      reason: `chain ${latest.chainId} has ${latest.backups} backups (fullEvery: ${fullEvery}): a new chain starts`,
    };
  }
  if (!sameDisks(latest.disks, input.disks)) {
    return {
      level: "full",
      reason: `the disks to back up changed (${[...latest.disks].sort().join(", ")} → ${[...input.disks].sort().join(", ")}): a new chain starts`,
    };
  }
  if (input.checkpointProblem !== undefined) {
    return { level: "full", reason: `${input.checkpointProblem}: a new chain starts with a full backup` };
  }
  return {
    level: "incremental",
    chainId: latest.chainId,
    sequence: latest.backups,
    incrementalFrom: latest.lastCheckpoint,
    reason: `incremental ${latest.backups} of chain ${latest.chainId} (a full backup every ${fullEvery})`,
  };
}

/** Chains beyond the newest `keepChains`, oldest first: whole chains, so no kept file loses its base. */
export function chainsToPrune(chainIdsOldestFirst: readonly string[], keepChains: number): string[] {
  const excess = chainIdsOldestFirst.length - keepChains;
  return excess > 0 ? chainIdsOldestFirst.slice(0, excess) : [];
}

/**
 * When a new chain starts, the older chains' checkpoints are of no further use (incrementals
 * only continue the newest chain) and each one costs a dirty bitmap QEMU keeps updating:
 * delete those of chains this resource owns. Anyone else's checkpoints are left alone.
 */
export function checkpointsToDelete(
  domainCheckpoints: readonly string[],
  ownedChainIds: readonly string[],
  currentChainId: string,
): string[] {
  return domainCheckpoints.filter((checkpoint) => {
    const chainId = chainOfCheckpoint(checkpoint);
    return chainId !== undefined && chainId !== currentChainId && ownedChainIds.includes(chainId);
  });
}

function sameDisks(a: readonly string[], b: readonly string[]): boolean {
  return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}
