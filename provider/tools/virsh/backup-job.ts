// Waiting for a push backup job to end: polls `domjobinfo`, and the errors for a job that outlasts the wait.
import { setTimeout as sleep } from "node:timers/promises";
import { VirtsnapError } from "../../errors.js";
import {
  type ActiveJobInfo,
  type DomainJobInfo,
  type FinishedJobInfo,
  isJobActive,
  isJobFinished,
} from "./domjob-info.js";
import { DomainNotRunningError } from "./errors.js";

/** What waiting needs of virsh: the domain's job, and the host's name for messages. */
export interface JobSource {
  readonly host: { readonly name: string };
  jobInfo(domain: string, options?: { completed?: boolean }): Promise<DomainJobInfo>;
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
export class BackupJobTimeoutError extends VirtsnapError {
  readonly code = "backup-job-timeout";
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
    this.domain = domain;
    this.host = host;
    this.timeoutMs = timeoutMs;
    this.lastProgress = lastProgress;
  }
}

/** The backup job ended but libvirt no longer holds its outcome (e.g. libvirtd restarted meanwhile). */
export class BackupJobOutcomeUnknownError extends VirtsnapError {
  readonly code = "backup-job-outcome-unknown";
  readonly domain: string;
  readonly host: string;
  readonly completed: DomainJobInfo;

  constructor(domain: string, host: string, completed: DomainJobInfo) {
    const found = completed.type === "none" ? "no finished job" : `a finished ${completed.operation} job`;
    super(
      `The backup job of domain "${domain}" on ${host} ended, but libvirt reports ${found} instead of its ` +
        "outcome (libvirtd may have restarted). Treat the backup as failed and take it again.",
    );
    this.domain = domain;
    this.host = host;
    this.completed = completed;
  }
}

/**
 * Polls the domain's job until the backup started by `beginBackup` is over and returns how
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
  virsh: JobSource,
  domain: string,
  options: WaitForBackupJobOptions,
): Promise<FinishedBackupJob> {
  const deadline = Date.now() + options.timeoutMs;
  let lastProgress: ActiveJobInfo | undefined;
  let domainStopped = false;
  for (;;) {
    let current: DomainJobInfo;
    try {
      current = await virsh.jobInfo(domain);
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
      throw new BackupJobTimeoutError(domain, virsh.host.name, options.timeoutMs, lastProgress);
    }
    await sleep(Math.min(options.pollMs ?? 500, Math.max(0, deadline - Date.now())));
  }
  const completed = await virsh.jobInfo(domain, { completed: true });
  if (!isJobFinished(completed) || completed.operation !== "backup") {
    throw new BackupJobOutcomeUnknownError(domain, virsh.host.name, completed);
  }
  return { ...completed, domainStopped };
}
