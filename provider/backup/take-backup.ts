// One backup as a transaction, phase by phase: plan, run the job, record it, or roll back; then retention.
// Either the manifest gains the backup, or the host is as before and the error says what was undone.
import type { HostTools } from "../tools/host-tools.js";
import type { DomainInfo } from "../tools/virsh/domain-xml.js";
import { applyRetention } from "./apply-retention.js";
import { BackupFailedError } from "./backup-errors.js";
import type { BackupRecord, Manifest } from "./manifest.js";
import { type BackupSettings, type BackupTarget, planBackup } from "./plan-backup.js";
import { type RecordedBackup, recordBackup } from "./record-backup.js";
import { rollBack } from "./roll-back.js";
import { runBackupJob } from "./run-backup-job.js";

export interface BackupOutcome {
  /** The chains this resource owns after the backup and retention, oldest first. */
  readonly chains: Manifest[];
  readonly chainId: string;
  readonly backup: BackupRecord;
  readonly domain: DomainInfo;
  /** Chains retention removed. */
  readonly pruned: string[];
  /** Clean-up that failed after the backup succeeded (it is retried at the next backup). */
  readonly warnings: string[];
}

/**
 * Takes the next backup of the domain into `target.directory`: an incremental continuing the
 * newest of `owned` chains, or a full one starting a new chain (why is in the record's reason).
 * After a new chain's first backup, older chains' checkpoints are deleted and chains beyond
 * `keepChains` are removed, oldest first. A failure after the job started is rolled back and
 * thrown as a BackupFailedError that says what the roll-back did.
 */
export async function takeBackup(
  tools: HostTools,
  target: BackupTarget,
  settings: BackupSettings,
  owned: readonly Manifest[],
): Promise<BackupOutcome> {
  const plan = await planBackup(tools, target, settings, owned);
  tools.host.log.info(`${plan.label}: ${plan.reason}`);
  let recorded: RecordedBackup;
  try {
    const job = await runBackupJob(tools, plan, settings);
    recorded = await recordBackup(tools, plan, job, settings);
  } catch (error) {
    throw new BackupFailedError(plan.label, error, await rollBack(tools, plan));
  }
  tools.host.log.info(`${plan.label}: done, ${recorded.record.copiedBytes} bytes copied`);
  const chains = [...owned.filter((chain) => chain.chainId !== plan.chainId), recorded.manifest];
  const retention =
    plan.level === "full"
      ? await applyRetention(tools, plan, chains, settings.keepChains)
      : { kept: chains, pruned: [], warnings: [] };
  return {
    chains: retention.kept,
    chainId: plan.chainId,
    backup: recorded.record,
    domain: plan.domain,
    pruned: retention.pruned,
    warnings: retention.warnings,
  };
}
