// Phase 2 of a backup: the libvirt push job, from an empty target to a completed copy of every disk.
import { messageOf } from "../errors.js";
import { CommandError } from "../host/errors.js";
import type { HostTools } from "../tools/host-tools.js";
import { BackupJobTimeoutError, type FinishedBackupJob } from "../tools/virsh/backup-job.js";
import { buildBackupXml } from "../tools/virsh/backup-xml.js";
import { buildCheckpointXml } from "../tools/virsh/checkpoint-xml.js";
import { BackupStepError } from "./backup-errors.js";
import { createChainDirectory } from "./chain-store.js";
import type { BackupPlan } from "./plan-backup.js";

/** A completed backup job. */
export interface CompletedJob {
  /** Bytes the job copied from the guest's disks. */
  readonly copiedBytes: number;
}

/**
 * Creates a new chain's directory, removes files an earlier attempt left at this backup's paths,
 * starts the push backup (with its checkpoint) and waits for it. A job that does not complete is
 * a BackupStepError saying why; the caller rolls back.
 */
export async function runBackupJob(
  tools: HostTools,
  plan: BackupPlan,
  options: { timeoutMs: number },
): Promise<CompletedJob> {
  const { log } = tools.host;
  try {
    if (plan.level === "full") await createChainDirectory(tools.files, plan.target.directory, plan.chainId);
    await removeLeftovers(tools, plan);
    await tools.virsh.beginBackup(plan.domain.uuid, backupXml(plan), checkpointXml(plan));
  } catch (error) {
    throw new BackupStepError(`libvirt did not start it: ${messageOf(error)}${permissionHint(error, plan)}`, {
      cause: error,
    });
  }
  let job: FinishedBackupJob;
  try {
    job = await tools.virsh.waitForBackupJob(plan.domain.uuid, {
      timeoutMs: options.timeoutMs,
      onProgress: (active) => {
        if (active.dataTotal) log.progress(plan.label, (active.dataProcessed ?? 0) / active.dataTotal);
      },
    });
  } catch (error) {
    if (error instanceof BackupJobTimeoutError)
      await tools.virsh.abortJob(plan.domain.uuid).catch(() => false);
    throw new BackupStepError(messageOf(error), { cause: error });
  }
  if (job.type !== "completed") {
    throw new BackupStepError(
      job.domainStopped
        ? "the domain stopped while the backup ran"
        : job.type === "cancelled"
          ? `the backup job was cancelled${job.errorMessage ? ` (${job.errorMessage})` : ""}`
          : `the backup job failed: ${job.errorMessage ?? "libvirt gave no reason"}`,
    );
  }
  log.progress(plan.label, 1);
  return { copiedBytes: job.dataProcessed ?? job.dataTotal ?? 0 };
}

/** Files at this backup's paths left by an attempt that died before it could clean up (not in any manifest). */
async function removeLeftovers(tools: HostTools, plan: BackupPlan): Promise<void> {
  const leftovers = [];
  for (const { path } of plan.files) if (await tools.files.exists(path)) leftovers.push(path);
  if (leftovers.length === 0) return;
  tools.host.log.info(`removing files an earlier failed attempt left: ${leftovers.join(", ")}`);
  await tools.files.removeFiles(leftovers);
}

/** Every disk device of the domain: the planned ones into their files, the others left out. */
function backupXml(plan: BackupPlan): string {
  return buildBackupXml({
    ...(plan.incrementalFrom === null ? {} : { incremental: plan.incrementalFrom }),
    disks: plan.domain.disks
      .filter((disk) => disk.device === "disk")
      .map((disk) => {
        const file = plan.files.find((candidate) => candidate.target === disk.target);
        return file === undefined
          ? { target: disk.target, backup: "no" as const }
          : { target: disk.target, backup: "yes" as const, file: file.path, format: "qcow2" as const };
      }),
  });
}

/** The checkpoint made with the backup: a bitmap on each disk backed up, none on the others. */
function checkpointXml(plan: BackupPlan): string {
  return buildCheckpointXml({
    name: plan.checkpoint,
    description: `virtsnap backup ${plan.sequence} of chain ${plan.chainId}`,
    disks: plan.domain.disks.map((disk) => ({
      target: disk.target,
      checkpoint: plan.disks.includes(disk.target) ? ("bitmap" as const) : ("no" as const),
    })),
  });
}

/** QEMU runs as its own user and must reach the directory: say so when libvirt's error is a permission one. */
function permissionHint(error: unknown, plan: BackupPlan): string {
  if (!(error instanceof CommandError && /Permission denied/.test(error.stderr))) return "";
  return (
    ` (QEMU runs as its own user, libvirt-qemu on Debian, and must be able to enter ${plan.target.directory} ` +
    "and its parents: chmod o+x them)"
  );
}
