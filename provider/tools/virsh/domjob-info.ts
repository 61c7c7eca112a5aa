// Parses `virsh domjobinfo --rawstats`: a domain job's type, operation and progress as typed values.
import { z } from "zod";
import { parseOutput } from "../parse-output.js";

/** libvirt's virDomainJobType, in order: the number `--rawstats` prints is the index. */
const JOB_TYPES = ["none", "bounded", "unbounded", "completed", "failed", "cancelled"] as const;
export type DomainJobType = (typeof JOB_TYPES)[number];

/** libvirt's virDomainJobOperation (libvirt 9.0), in order; a number beyond it reads as `unknown`. */
const JOB_OPERATIONS = [
  "unknown",
  "start",
  "save",
  "restore",
  "migration-in",
  "migration-out",
  "snapshot",
  "snapshot-revert",
  "dump",
  "backup",
  "snapshot-delete",
] as const;
export type DomainJobOperation = (typeof JOB_OPERATIONS)[number];

/** What a job reports beyond its type, in bytes and milliseconds. */
export interface DomainJobStats {
  readonly operation: DomainJobOperation;
  readonly timeElapsedMs: number;
  /**
   * Bytes the job will copy (`disk_total`), has copied (`disk_processed`) and has left
   * (`disk_remaining`). For a full backup the total is the virtual size of every disk backed up;
   * for an incremental, the bytes written since its checkpoint. libvirt 9.0 leaves all three out
   * when the total is 0 (an incremental with nothing to copy) and while an aborted backup winds
   * down (it still shows as running for a few hundred ms after domjobabort). QEMU 7.2 reports
   * progress in large steps: a full backup of a 1 GiB disk with data took ~1.7 s on a local disk
   * and showed 0, ~450 MiB, then 1 GiB; a poll may itself take ~0.5 s while QEMU copies.
   */
  readonly dataTotal?: number;
  readonly dataProcessed?: number;
  readonly dataRemaining?: number;
}

/** No job runs (or, with `--completed`, libvirt keeps no finished job's statistics). */
export interface NoJobInfo {
  readonly type: "none";
}

/** A job still running: `unbounded` for a backup (its end is not known in advance). */
export interface ActiveJobInfo extends DomainJobStats {
  readonly type: "bounded" | "unbounded";
}

/** A finished job, from `--completed`. */
export interface FinishedJobInfo extends DomainJobStats {
  readonly type: "completed" | "failed" | "cancelled";
  /** libvirt's reason for a failed or cancelled job, e.g. `No space left on device`, `Operation canceled`. */
  readonly errorMessage?: string;
}

export type DomainJobInfo = NoJobInfo | ActiveJobInfo | FinishedJobInfo;

export function isJobActive(job: DomainJobInfo): job is ActiveJobInfo {
  return job.type === "bounded" || job.type === "unbounded";
}

export function isJobFinished(job: DomainJobInfo): job is FinishedJobInfo {
  return job.type === "completed" || job.type === "failed" || job.type === "cancelled";
}

const count = z.string().regex(/^\d+$/).transform(Number);

const rawStatsSchema = z.object({
  jobType: z.string().regex(/^[0-5]$/),
  fields: z.record(z.string(), z.string()),
});
// libvirt 9.0 sends these for every job that is not `none` (qemuDomainJobDataToParams).
const statsSchema = z.object({
  operation: count,
  time_elapsed: count,
  disk_total: count.optional(),
  disk_processed: count.optional(),
  disk_remaining: count.optional(),
  errmsg: z.string().optional(),
});

/** Parses `virsh domjobinfo --rawstats` (with or without `--completed`). */
export function parseDomJobInfo(stdout: string): DomainJobInfo {
  const source = "virsh domjobinfo --rawstats";
  const raw = parseOutput(source, stdout, rawStatsSchema, toTree);
  const type = JOB_TYPES[Number(raw.jobType)] ?? "none";
  if (type === "none") return { type };
  const fields = parseOutput(source, stdout, statsSchema, () => raw.fields);
  const stats: DomainJobStats = {
    operation: JOB_OPERATIONS[fields.operation] ?? "unknown",
    timeElapsedMs: fields.time_elapsed,
    ...(fields.disk_total === undefined ? {} : { dataTotal: fields.disk_total }),
    ...(fields.disk_processed === undefined ? {} : { dataProcessed: fields.disk_processed }),
    ...(fields.disk_remaining === undefined ? {} : { dataRemaining: fields.disk_remaining }),
  };
  if (type === "bounded" || type === "unbounded") return { type, ...stats };
  return { type, ...stats, ...(fields.errmsg === undefined ? {} : { errorMessage: fields.errmsg }) };
}

/**
 * `Job type: N`, a blank line, then `field: value` per typed parameter. A value is everything
 * after the first `: ` (an error message may contain more); a line that is not `field: value`
 * continues the previous value.
 */
function toTree(text: string): { jobType: string | undefined; fields: Record<string, string> } {
  const lines = text.split("\n");
  const jobType = /^Job type: (\S+)\s*$/.exec(lines[0] ?? "")?.[1];
  const fields: Record<string, string> = {};
  let last: string | undefined;
  for (const line of lines.slice(1)) {
    const field = /^([a-z_]+): (.*)$/.exec(line);
    if (field?.[1] !== undefined && field[2] !== undefined) {
      last = field[1];
      fields[last] = field[2];
    } else if (last !== undefined && line.trim() !== "") {
      fields[last] = `${fields[last]}\n${line}`;
    }
  }
  return { jobType, fields };
}
