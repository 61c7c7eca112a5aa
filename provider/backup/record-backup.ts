// Phase 3 of a backup: link each new file to the previous backup's, measure, verify, and write the manifest.
import type { HostTools } from "../tools/host-tools.js";
import { BackupStepError } from "./backup-errors.js";
import { writeManifest } from "./chain-store.js";
import { type BackupRecord, type Manifest, newChainManifest, withBackup } from "./manifest.js";
import type { BackupPlan } from "./plan-backup.js";
import type { CompletedJob } from "./run-backup-job.js";
import { verifyChain } from "./verify-chain.js";

/** The backup as its chain's manifest now records it. */
export interface RecordedBackup {
  readonly manifest: Manifest;
  readonly record: BackupRecord;
}

/**
 * Makes the completed job's files a restorable point and records it: the manifest is written
 * (atomically) only after every file is linked, measured and, with `verify`, checked.
 */
export async function recordBackup(
  tools: HostTools,
  plan: BackupPlan,
  job: CompletedJob,
  options: { verify: boolean },
): Promise<RecordedBackup> {
  // A push-mode incremental file is created with the *live disk* as its backing file (libvirt
  // 9.0): read as-is it would show today's data. Link it to the previous backup's file, by a
  // relative name, before anything reads it.
  for (const file of plan.files) {
    if (file.backingFile !== null)
      await tools.qemuImg.rebaseUnsafe(file.path, { file: file.backingFile, format: "qcow2" });
  }
  const disks = [];
  for (const file of plan.files) {
    const info = await tools.qemuImg.info(file.path, { format: "qcow2" });
    disks.push({
      target: file.target,
      file: file.file,
      backingFile: file.backingFile,
      virtualSize: info.virtualSize,
      fileSize: await tools.files.size(file.path),
    });
  }
  const record: BackupRecord = {
    sequence: plan.sequence,
    level: plan.level,
    checkpoint: plan.checkpoint,
    incrementalFrom: plan.incrementalFrom,
    startedAt: plan.startedAt.toISOString(),
    completedAt: new Date().toISOString(),
    reason: plan.reason,
    copiedBytes: job.copiedBytes,
    disks,
  };
  const manifest =
    plan.previous === undefined
      ? newChainManifest(plan.chainId, plan.domain, plan.disks, record)
      : withBackup(plan.previous, plan.domain, record);
  if (options.verify) {
    const problems = await verifyChain(tools, plan.target.directory, manifest, {
      sequences: [plan.sequence],
    });
    if (problems.length > 0) {
      throw new BackupStepError(
        `verification found: ${problems.map((p) => `${p.file} ${p.problem}`).join("; ")}`,
      );
    }
  }
  await writeManifest(tools.files, plan.target.directory, manifest);
  return { manifest, record };
}
