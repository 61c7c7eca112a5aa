// One backup as a transaction: plan it, run the libvirt job, link and verify the files, record it.
// Either the manifest gains the backup, or the host is as before: checkpoint and files removed.
import { randomBytes } from "node:crypto";
import type { CommandRunner } from "../host/command-runner.js";
import { fileExists, fileSize, removeEmptyDirectory, removeFiles } from "../host/host-files.js";
import { imageInfo, rebaseUnsafe, removeBitmap } from "../tools/qemu-img/commands.js";
import {
  abortJob,
  BackupJobTimeoutError,
  beginBackup,
  deleteCheckpoint,
  getCheckpoint,
  listCheckpoints,
  waitForBackupJob,
} from "../tools/virsh/backup-commands.js";
import { buildBackupXml } from "../tools/virsh/backup-xml.js";
import { buildCheckpointXml, disksMissingBitmap } from "../tools/virsh/checkpoint-xml.js";
import { getDomain } from "../tools/virsh/commands.js";
import type { DomainInfo } from "../tools/virsh/domain-xml.js";
import { CheckpointInconsistentError, DomainNotRunningError, libvirtReason } from "../tools/virsh/errors.js";
import {
  chainDirectory,
  chainFile,
  createChainDirectory,
  deleteChain,
  writeManifest,
} from "./chain-store.js";
import { selectBackupDisks } from "./disks.js";
import type { BackupRecord, Manifest } from "./manifest.js";
import { backupFileName, checkpointName, newChainId } from "./naming.js";
import type { ProgressSink } from "./progress.js";
import { chainsToPrune, checkpointsToDelete, type NextBackup, planNextBackup } from "./retention.js";
import { verifyChain } from "./verify-chain.js";

export interface BackupTarget {
  readonly uri: string;
  readonly domain: string;
  /** Absolute directory on the target host holding one subdirectory per chain. */
  readonly directory: string;
}

export interface BackupSettings {
  readonly disks?: readonly string[];
  readonly fullEvery: number;
  readonly keepChains: number;
  readonly verify: boolean;
  /** Limit for the libvirt job; the job is aborted and rolled back when it is reached. */
  readonly timeoutMs: number;
  /** Start a new chain whatever the newest chain's state, for this reason. */
  readonly newChainReason?: string;
}

export interface BackupTools {
  /** Runs virsh (always on this machine; it reaches remote hosts through the URI). */
  readonly virsh: CommandRunner;
  /** Runs qemu-img and file operations on the target host. */
  readonly host: CommandRunner;
  readonly progress: ProgressSink;
  readonly now?: () => Date;
}

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

/** A backup that did not happen; the host was put back as it was (the message says so). */
export class BackupFailedError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "BackupFailedError";
  }
}

/**
 * Takes the next backup of the domain into `target.directory`: an incremental continuing the
 * newest of `owned` chains, or a full one starting a new chain (why is in the record's reason).
 * After a new chain's first backup, older chains' checkpoints are deleted and chains beyond
 * `keepChains` are removed, oldest first.
 */
export async function takeBackup(
  tools: BackupTools,
  target: BackupTarget,
  settings: BackupSettings,
  owned: readonly Manifest[],
): Promise<BackupOutcome> {
  const now = tools.now ?? (() => new Date());
  const domain = await getDomain(tools.virsh, target.uri, target.domain);
  if (!domain.active) {
    throw new BackupFailedError(
      `Domain "${domain.name}" is shut off: backups need a running domain (libvirt copies the disks from the running QEMU). ` +
        "Start it, or take a DomainSnapshot of the shut-off domain instead.",
    );
  }
  const disks = selectBackupDisks(domain, settings.disks).map((disk) => disk.target);
  const latest = owned.at(-1);
  const plan = planNextBackup({
    fullEvery: settings.fullEvery,
    disks,
    ...(latest === undefined
      ? settings.newChainReason === undefined
        ? {}
        : { checkpointProblem: settings.newChainReason }
      : {
          latest: {
            chainId: latest.chainId,
            backups: latest.backups.length,
            disks: latest.disks,
            lastCheckpoint: (latest.backups.at(-1) as BackupRecord).checkpoint,
          },
          checkpointProblem:
            settings.newChainReason ?? (await checkpointProblem(tools.virsh, target.uri, domain, latest)),
        }),
  });

  const startedAt = now();
  const chainId =
    plan.level === "incremental" ? plan.chainId : newChainId(startedAt, randomBytes(3).toString("hex"));
  const sequence = plan.level === "incremental" ? plan.sequence : 0;
  const previous =
    plan.level === "incremental" ? owned.find((chain) => chain.chainId === chainId) : undefined;
  const checkpoint = checkpointName(chainId, sequence);
  const files = disks.map((target_) => ({
    target: target_,
    file: backupFileName(sequence, plan.level, target_),
  }));
  const paths = files.map(({ file }) => chainFile(target.directory, chainId, file));
  const label = `${plan.level} backup ${sequence} of ${domain.name} (chain ${chainId})`;
  tools.progress.info(`${label}: ${plan.reason}`);

  const rollBack = async (): Promise<string[]> =>
    undo(tools, target, domain, checkpoint, paths, plan.level === "full" ? chainId : undefined);
  const fail = async (what: string, cause?: unknown): Promise<never> => {
    const notes = await rollBack();
    throw new BackupFailedError(
      `${label} failed: ${what}. ` +
        `The checkpoint made for it was deleted (its changes stay tracked by the previous one, nothing is lost), ` +
        `its partial files were removed and the manifests were left as they were${notes.length > 0 ? ` (${notes.join("; ")})` : ""}. ` +
        "The next `pulumi up` tries again.",
      cause,
    );
  };

  try {
    if (plan.level === "full") await createChainDirectory(tools.host, target.directory, chainId);
    await removeLeftovers(tools, paths);
    await beginBackup(
      tools.virsh,
      target.uri,
      domain.uuid,
      backupXml(plan, domain, disks, paths),
      buildCheckpointXml({
        name: checkpoint,
        description: `virtsnap backup ${sequence} of chain ${chainId}`,
        disks: domain.disks.map((disk) => ({
          target: disk.target,
          checkpoint: disks.includes(disk.target) ? ("bitmap" as const) : ("no" as const),
        })),
      }),
    );
  } catch (error) {
    const message = (error as Error).message;
    const hint = /Permission denied/.test(message)
      ? ` (QEMU runs as its own user, libvirt-qemu on Debian, and must be able to enter ${target.directory} and its parents: chmod o+x them)`
      : "";
    return fail(`libvirt did not start it: ${message}${hint}`, error);
  }

  let job: Awaited<ReturnType<typeof waitForBackupJob>>;
  try {
    job = await waitForBackupJob(tools.virsh, target.uri, domain.uuid, {
      timeoutMs: settings.timeoutMs,
      onProgress: (active) => {
        if (active.dataTotal) tools.progress.progress(label, (active.dataProcessed ?? 0) / active.dataTotal);
      },
    });
  } catch (error) {
    if (error instanceof BackupJobTimeoutError)
      await abortJob(tools.virsh, target.uri, domain.uuid).catch(() => false);
    return fail((error as Error).message, error);
  }
  if (job.type !== "completed") {
    const why = job.domainStopped
      ? "the domain stopped while the backup ran"
      : job.type === "cancelled"
        ? `the backup job was cancelled${job.errorMessage ? ` (${job.errorMessage})` : ""}`
        : `the backup job failed: ${job.errorMessage ?? "libvirt gave no reason"}`;
    return fail(why);
  }
  tools.progress.progress(label, 1);

  let manifest: Manifest;
  let record: BackupRecord;
  try {
    // A push-mode incremental file is created with the *live disk* as its backing file (libvirt
    // 9.0): read as-is it would show today's data. Link it to the previous backup's file, by a
    // relative name, before anything reads it.
    const previousBackup = previous?.backups.at(-1);
    for (const [index, { target: disk }] of files.entries()) {
      const base = previousBackup?.disks.find((candidate) => candidate.target === disk)?.file;
      if (base !== undefined)
        await rebaseUnsafe(tools.host, paths[index] as string, { file: base, format: "qcow2" });
    }
    const recordedDisks = [];
    for (const [index, { target: disk, file }] of files.entries()) {
      const path = paths[index] as string;
      const info = await imageInfo(tools.host, path, { format: "qcow2" });
      recordedDisks.push({
        target: disk,
        file,
        backingFile: previousBackup?.disks.find((candidate) => candidate.target === disk)?.file ?? null,
        virtualSize: info.virtualSize,
        fileSize: await fileSize(tools.host, path),
      });
    }
    record = {
      sequence,
      level: plan.level,
      checkpoint,
      incrementalFrom: plan.level === "incremental" ? plan.incrementalFrom : null,
      startedAt: startedAt.toISOString(),
      completedAt: now().toISOString(),
      reason: plan.reason,
      copiedBytes: job.dataProcessed ?? job.dataTotal ?? 0,
      disks: recordedDisks,
    };
    manifest =
      previous === undefined
        ? {
            format: "virtsnap-backup-chain",
            version: 1,
            chainId,
            domain: { name: domain.name, uuid: domain.uuid },
            createdAt: startedAt.toISOString(),
            disks,
            backups: [record],
          }
        : {
            ...previous,
            domain: { name: domain.name, uuid: domain.uuid },
            backups: [...previous.backups, record],
          };
    if (settings.verify) {
      const problems = await verifyChain(tools.host, target.directory, manifest, { sequences: [sequence] });
      if (problems.length > 0) {
        return fail(`verification found: ${problems.map((p) => `${p.file} ${p.problem}`).join("; ")}`);
      }
    }
    await writeManifest(tools.host, target.directory, manifest);
  } catch (error) {
    if (error instanceof BackupFailedError) throw error;
    return fail((error as Error).message, error);
  }
  tools.progress.info(`${label}: done, ${record.copiedBytes} bytes copied`);

  const chains = [...owned.filter((chain) => chain.chainId !== chainId), manifest];
  const warnings: string[] = [];
  const pruned: string[] = [];
  if (plan.level === "full") {
    warnings.push(...(await dropOldCheckpoints(tools, target.uri, domain, chains, chainId)));
    for (const old of chainsToPrune(
      chains.map((chain) => chain.chainId),
      settings.keepChains,
    )) {
      const chain = chains.find((candidate) => candidate.chainId === old) as Manifest;
      try {
        const removedDirectory = await deleteChain(tools.host, target.directory, chain);
        pruned.push(old);
        tools.progress.info(
          `retention (keepChains ${settings.keepChains}): removed chain ${old}` +
            (removedDirectory ? "" : " (its directory holds other files and was kept)"),
        );
      } catch (error) {
        warnings.push(`could not remove old chain ${old}: ${(error as Error).message}`);
      }
    }
  }
  for (const warning of warnings) tools.progress.info(`warning: ${warning}`);
  return {
    chains: chains.filter((chain) => !pruned.includes(chain.chainId)),
    chainId,
    backup: record,
    domain,
    pruned,
    warnings,
  };
}

/**
 * Why the newest chain's last checkpoint cannot carry an incremental, if so: it is gone from
 * the domain, or its bitmap is gone from a disk (`checkpoint-dumpxml --size` leaves that disk's
 * size out, libvirt 9.0).
 */
async function checkpointProblem(
  virsh: CommandRunner,
  uri: string,
  domain: DomainInfo,
  latest: Manifest,
): Promise<string | undefined> {
  const last = (latest.backups.at(-1) as BackupRecord).checkpoint;
  const checkpoints = await listCheckpoints(virsh, uri, domain.uuid);
  if (!checkpoints.includes(last)) return `checkpoint ${last} is missing from domain "${domain.name}"`;
  try {
    const missing = disksMissingBitmap(await getCheckpoint(virsh, uri, domain.uuid, last, { size: true }));
    if (missing.length > 0)
      return `the dirty bitmap of checkpoint ${last} is missing from disk ${missing.join(", ")}`;
  } catch (error) {
    if (error instanceof CheckpointInconsistentError)
      return `checkpoint ${last} is inconsistent (${libvirtReason(error.stderr)})`;
    throw error;
  }
  return undefined;
}

function backupXml(
  plan: NextBackup,
  domain: DomainInfo,
  disks: readonly string[],
  paths: readonly string[],
): string {
  return buildBackupXml({
    ...(plan.level === "incremental" ? { incremental: plan.incrementalFrom } : {}),
    disks: domain.disks
      .filter((disk) => disk.device === "disk")
      .map((disk) => {
        const index = disks.indexOf(disk.target);
        return index < 0
          ? { target: disk.target, backup: "no" as const }
          : {
              target: disk.target,
              backup: "yes" as const,
              file: paths[index] as string,
              format: "qcow2" as const,
            };
      }),
  });
}

/** Files of this sequence left by an attempt that died before it could clean up (not in any manifest). */
async function removeLeftovers(tools: BackupTools, paths: readonly string[]): Promise<void> {
  const leftovers = [];
  for (const path of paths) if (await fileExists(tools.host, path)) leftovers.push(path);
  if (leftovers.length === 0) return;
  tools.progress.info(`removing files an earlier failed attempt left: ${leftovers.join(", ")}`);
  await removeFiles(tools.host, leftovers);
}

/**
 * Puts the host back as it was before the attempt. libvirt keeps the checkpoint of a failed or
 * aborted push backup (9.0): delete it, so its bitmap merges into the parent and the next
 * incremental still covers every change. Returns notes about what could not be undone.
 */
async function undo(
  tools: BackupTools,
  target: BackupTarget,
  domain: DomainInfo,
  checkpoint: string,
  paths: readonly string[],
  newChainId: string | undefined,
): Promise<string[]> {
  const notes: string[] = [];
  try {
    if ((await listCheckpoints(tools.virsh, target.uri, domain.uuid)).includes(checkpoint)) {
      await deleteCheckpoint(tools.virsh, target.uri, domain.uuid, checkpoint).catch(
        async (error: unknown) => {
          if (error instanceof CheckpointInconsistentError) {
            await deleteCheckpoint(tools.virsh, target.uri, domain.uuid, checkpoint, { metadataOnly: true });
            return;
          }
          if (!(error instanceof DomainNotRunningError)) throw error;
          // The domain stopped (destroyed, crashed) mid-backup. libvirt cannot merge bitmaps now:
          // forget the checkpoint, and take its bitmap out of the images, which QEMU wrote there
          // when it shut down; left in, it would make the next attempt fail with "Bitmap already
          // exists". The next backup will be a full one (the parent's bitmap is inconsistent too).
          await deleteCheckpoint(tools.virsh, target.uri, domain.uuid, checkpoint, { metadataOnly: true });
          notes.push(...(await removeOrphanBitmaps(tools, domain, checkpoint)));
        },
      );
    }
  } catch (error) {
    notes.push(`checkpoint ${checkpoint} could not be deleted: ${(error as Error).message}`);
  }
  try {
    await removeFiles(tools.host, paths);
    if (newChainId !== undefined)
      await removeEmptyDirectory(tools.host, chainDirectory(target.directory, newChainId));
  } catch (error) {
    notes.push(`partial files could not all be removed: ${(error as Error).message}`);
  }
  return notes;
}

/** Removes `bitmap` from the top image of each disk of a stopped domain; returns what failed. */
async function removeOrphanBitmaps(
  tools: BackupTools,
  domain: DomainInfo,
  bitmap: string,
): Promise<string[]> {
  const notes: string[] = [];
  for (const disk of domain.disks) {
    if (disk.format !== "qcow2" || disk.source === undefined) continue;
    const info = await imageInfo(tools.host, disk.source, { format: "qcow2", shareLocked: true }).catch(
      () => undefined,
    );
    if (!info?.qcow2?.bitmaps.some((candidate) => candidate.name === bitmap)) continue;
    await removeBitmap(tools.host, disk.source, bitmap).catch((error: Error) => {
      notes.push(`bitmap ${bitmap} stays in ${disk.source}: ${error.message}`);
    });
  }
  return notes;
}

/** After a new chain's first backup: delete this resource's checkpoints of older chains. */
async function dropOldCheckpoints(
  tools: BackupTools,
  uri: string,
  domain: DomainInfo,
  chains: readonly Manifest[],
  current: string,
): Promise<string[]> {
  const warnings: string[] = [];
  const stale = checkpointsToDelete(
    await listCheckpoints(tools.virsh, uri, domain.uuid, { topological: true }),
    chains.map((chain) => chain.chainId),
    current,
  ).reverse();
  for (const checkpoint of stale) {
    try {
      await deleteCheckpoint(tools.virsh, uri, domain.uuid, checkpoint).catch(async (error: unknown) => {
        if (!(error instanceof CheckpointInconsistentError)) throw error;
        await deleteCheckpoint(tools.virsh, uri, domain.uuid, checkpoint, { metadataOnly: true });
      });
    } catch (error) {
      warnings.push(`could not delete old checkpoint ${checkpoint}: ${(error as Error).message}`);
    }
  }
  if (stale.length > 0) tools.progress.info(`deleted ${stale.length} checkpoint(s) of older chains`);
  return warnings;
}
