// virsh backup, job and checkpoint operations on a CommandRunner: build the argv, run, parse, classify.
import { setTimeout as sleep } from "node:timers/promises";
import { type CommandRunner, QUERY_TIMEOUT_MS } from "../../host/command-runner.js";
import { CommandError } from "../../host/errors.js";
import { withTempFile } from "../../host/temp-file.js";
import {
  backupBeginArgv,
  checkpointCreateArgv,
  checkpointDeleteArgv,
  checkpointDumpXmlArgv,
  checkpointListArgv,
  domJobAbortArgv,
  domJobInfoArgv,
} from "./backup-argv.js";
import { type CheckpointInfo, parseCheckpointList, parseCheckpointXml } from "./checkpoint-xml.js";
import {
  type ActiveJobInfo,
  type DomainJobInfo,
  type FinishedJobInfo,
  isJobActive,
  isJobFinished,
  parseDomJobInfo,
} from "./domjob-info.js";
import { DomainNotRunningError } from "./errors.js";
import { runVirsh } from "./run-virsh.js";

/**
 * backup-begin returns once the job runs, but libvirt 9.0 first waits up to 30 s for the domain's
 * job lock when another job (a backup, a snapshot) holds it, then fails with "cannot acquire
 * state change lock" (JobActiveError). Leave room for that wait.
 */
export const BACKUP_BEGIN_TIMEOUT_MS = 120_000;

const virsh = (runner: CommandRunner, argv: readonly string[], timeoutMs = QUERY_TIMEOUT_MS) =>
  runVirsh(runner, argv, { timeoutMs });

/**
 * Starts a push-mode backup and returns as soon as the job runs (it may already be over when this
 * returns: a small disk copies in milliseconds). With `checkpointXml`, libvirt creates that
 * checkpoint atomically with the backup's start, and keeps it even when the job later fails or is
 * aborted (libvirt 9.0): the caller deletes it to roll back.
 */
export async function beginBackup(
  runner: CommandRunner,
  uri: string,
  domain: string,
  backupXml: string,
  checkpointXml?: string,
): Promise<void> {
  await withTempFile("backup.xml", backupXml, async (backupFile) => {
    const run = (checkpointFile?: string) =>
      virsh(runner, backupBeginArgv(uri, domain, backupFile, checkpointFile), BACKUP_BEGIN_TIMEOUT_MS);
    if (checkpointXml === undefined) return run();
    return withTempFile("checkpoint.xml", checkpointXml, run);
  });
}

/** The domain's running job, or with `completed` the last finished one (kept for later reads). */
export async function getJobInfo(
  runner: CommandRunner,
  uri: string,
  domain: string,
  options: { completed?: boolean } = {},
): Promise<DomainJobInfo> {
  const argv = domJobInfoArgv(uri, domain, options.completed ? { completed: true, keepCompleted: true } : {});
  return parseDomJobInfo(await virsh(runner, argv));
}

/**
 * Aborts the domain's running job. Resolves `false` when no job was running (it may have just
 * finished: read its outcome with {@link waitForBackupJob}). The abort is asynchronous: the job
 * still shows as running for a moment, then finishes as `cancelled`.
 */
export async function abortJob(runner: CommandRunner, uri: string, domain: string): Promise<boolean> {
  try {
    await virsh(runner, domJobAbortArgv(uri, domain));
    return true;
  } catch (error) {
    // libvirt 9.0: "Requested operation is not valid: no job is active on the domain".
    if (error instanceof CommandError && /no job is active on the domain/.test(error.stderr)) return false;
    throw error;
  }
}

export interface WaitForBackupJobOptions {
  /** Give up (without aborting the job) after this long. */
  readonly timeoutMs: number;
  /** Time between two polls. Default 500 ms. */
  readonly pollMs?: number;
  /** Called after each poll that found the backup running, with its progress. */
  readonly onProgress?: (job: ActiveJobInfo) => void;
}

/** How a backup job ended. */
export interface FinishedBackupJob extends FinishedJobInfo {
  /**
   * The domain stopped while the job ran (shut down, crashed, destroyed). libvirt 9.0 then reports
   * the job as `cancelled` without an error message.
   */
  readonly domainStopped: boolean;
}

/** The backup job was still running when the wait's time limit was reached. */
export class BackupJobTimeoutError extends Error {
  readonly domain: string;
  readonly host: string;
  readonly timeoutMs: number;
  readonly lastProgress: ActiveJobInfo | undefined;

  constructor(domain: string, host: string, timeoutMs: number, lastProgress: ActiveJobInfo | undefined) {
    const done =
      lastProgress?.dataTotal === undefined
        ? ""
        : ` (${lastProgress.dataProcessed ?? 0} of ${lastProgress.dataTotal} bytes copied)`;
    super(
      `The backup job of domain "${domain}" on ${host} was still running after ${Math.round(timeoutMs / 1000)} s${done}. ` +
        `It keeps running: wait longer, or stop it with \`virsh domjobabort ${domain}\`.`,
    );
    this.name = "BackupJobTimeoutError";
    this.domain = domain;
    this.host = host;
    this.timeoutMs = timeoutMs;
    this.lastProgress = lastProgress;
  }
}

/** The backup job ended but libvirt no longer holds its outcome (e.g. libvirtd restarted meanwhile). */
export class BackupJobOutcomeUnknownError extends Error {
  readonly domain: string;
  readonly host: string;
  readonly completed: DomainJobInfo;

  constructor(domain: string, host: string, completed: DomainJobInfo) {
    const found = completed.type === "none" ? "no finished job" : `a finished ${completed.operation} job`;
    super(
      `The backup job of domain "${domain}" on ${host} ended, but libvirt reports ${found} instead of its ` +
        "outcome (libvirtd may have restarted). Treat the backup as failed and take it again.",
    );
    this.name = "BackupJobOutcomeUnknownError";
    this.domain = domain;
    this.host = host;
    this.completed = completed;
  }
}

/**
 * Polls the domain's job until the backup started by {@link beginBackup} is over and returns how
 * it ended: `completed`, `failed` (e.g. "No space left on device") or `cancelled` (domjobabort, or
 * the domain stopped). Facts of libvirt 9.0 this relies on:
 * - a finished job no longer shows in `domjobinfo` (type `none`); its outcome is in
 *   `domjobinfo --completed`, which is read with `--keep-completed` so a retry can read it again;
 * - a job may be over before the first poll (a small or clean disk copies in milliseconds): the
 *   first poll then already finds `none`, and `--completed` holds the outcome;
 * - after `domjobabort` the job still shows as running for a moment, then ends `cancelled`;
 * - when the domain stops mid-job, `domjobinfo` fails with "domain is not running" but
 *   `--completed` still answers (type `cancelled`, no message).
 */
export async function waitForBackupJob(
  runner: CommandRunner,
  uri: string,
  domain: string,
  options: WaitForBackupJobOptions,
): Promise<FinishedBackupJob> {
  const deadline = Date.now() + options.timeoutMs;
  let lastProgress: ActiveJobInfo | undefined;
  let domainStopped = false;
  for (;;) {
    let current: DomainJobInfo;
    try {
      current = await getJobInfo(runner, uri, domain);
    } catch (error) {
      if (!(error instanceof DomainNotRunningError)) throw error;
      domainStopped = true;
      break;
    }
    if (!isJobActive(current)) break;
    if (current.operation === "backup") {
      lastProgress = current;
      options.onProgress?.(current);
    }
    if (Date.now() >= deadline) {
      throw new BackupJobTimeoutError(domain, runner.host, options.timeoutMs, lastProgress);
    }
    await sleep(Math.min(options.pollMs ?? 500, Math.max(0, deadline - Date.now())));
  }
  const completed = await getJobInfo(runner, uri, domain, { completed: true });
  if (!isJobFinished(completed) || completed.operation !== "backup") {
    throw new BackupJobOutcomeUnknownError(domain, runner.host, completed);
  }
  return { ...completed, domainStopped };
}

/** Creates a checkpoint outside a backup (or, with `redefine`, re-registers one from its dumped XML). */
export async function createCheckpoint(
  runner: CommandRunner,
  uri: string,
  domain: string,
  xml: string,
  options: { redefine?: boolean } = {},
): Promise<void> {
  await withTempFile("checkpoint.xml", xml, (file) =>
    virsh(runner, checkpointCreateArgv(uri, domain, file, options)),
  );
}

/** Names of the domain's checkpoints; `topological` lists every parent before its children. */
export async function listCheckpoints(
  runner: CommandRunner,
  uri: string,
  domain: string,
  options: { topological?: boolean } = {},
): Promise<string[]> {
  return parseCheckpointList(await virsh(runner, checkpointListArgv(uri, domain, options)));
}

/**
 * A checkpoint's description. With `size` (running domains only: DomainNotRunningError
 * otherwise), each disk's dirty bytes since the checkpoint, read in ~30 ms; a disk whose bitmap is
 * gone has no size (see disksMissingBitmap in checkpoint-xml.ts).
 */
export async function getCheckpoint(
  runner: CommandRunner,
  uri: string,
  domain: string,
  checkpoint: string,
  options: { size?: boolean } = {},
): Promise<CheckpointInfo> {
  const argv = checkpointDumpXmlArgv(uri, domain, checkpoint, {
    size: options.size ?? false,
    noDomain: true,
  });
  return parseCheckpointXml(await virsh(runner, argv));
}

/** A checkpoint's full XML, with the domain definition it holds: what `createCheckpoint(redefine)` takes. */
export async function getCheckpointXml(
  runner: CommandRunner,
  uri: string,
  domain: string,
  checkpoint: string,
): Promise<string> {
  return virsh(runner, checkpointDumpXmlArgv(uri, domain, checkpoint));
}

/**
 * Deletes a checkpoint. Without `metadataOnly`, libvirt 9.0 also removes its bitmaps from the
 * images; every checkpoint's bitmap records all writes since it was made, so the parent still
 * covers the deleted one's changes and no change is lost for the next incremental. That needs a
 * running domain (DomainNotRunningError otherwise) and the bitmaps present
 * (CheckpointInconsistentError otherwise); `metadataOnly` works in both cases and leaves the
 * bitmaps in the images.
 */
export async function deleteCheckpoint(
  runner: CommandRunner,
  uri: string,
  domain: string,
  checkpoint: string,
  options: { metadataOnly?: boolean } = {},
): Promise<void> {
  await virsh(runner, checkpointDeleteArgv(uri, domain, checkpoint, options));
}
