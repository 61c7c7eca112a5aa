// BackupChain's inputs and outputs: the zod schema is the single source of truth for both.
import { z } from "zod";
import { diskTarget, libvirtUri, objectName, safeDirectory } from "../../inputs/validators.js";

const count = (what: string, max: number) =>
  z
    .number({ error: `must be a whole number: ${what}` })
    .int({ error: `must be a whole number: ${what}` })
    .min(1, { error: `must be at least 1: ${what}` })
    .max(max, { error: `must be at most ${max}` });

/** Inputs as the provider receives them (the SDK has filled in `uri`). */
export const backupChainInputsSchema = z.strictObject({
  /** libvirt connection URI; a `+ssh` URI makes qemu-img and file operations run over ssh on that host. */
  uri: libvirtUri({ reachesHost: true }),
  /** The running domain to back up, by name or UUID. */
  domain: objectName("domain name or UUID"),
  /** Absolute directory on the domain's host; each chain gets a subdirectory `<chainId>/`. */
  directory: safeDirectory,
  /** Disk targets to back up (default: every writable qcow2 disk). */
  disks: z
    .array(diskTarget, { error: "must be a list of disk targets such as ['vda', 'vdb']" })
    .min(1, { error: "must name at least one disk, or be left out to back up every qcow2 disk" })
    .refine((disks) => new Set(disks).size === disks.length, { error: "names a disk twice" })
    .optional(),
  /**
   * Opaque: when it changes, `pulumi up` takes the next backup. Use a date for one backup a
   * day (`new Date().toISOString().slice(0, 10)`), or a period from SnapshotPolicy.
   */
  trigger: z.string({ error: "must be a string (e.g. today's date)" }).max(1024).optional(),
  /** Backups per chain: one full, then `fullEvery - 1` incrementals (default 7). */
  fullEvery: count("backups per chain (1 = every backup is full)", 1000).default(7),
  /** Chains to keep; older ones are removed, whole, after a new chain starts (default 2). */
  keepChains: count("chains kept on disk", 1000).default(2),
  /** Check each new backup (qemu-img check, sizes, backing links) before recording it (default true). */
  verify: z.boolean({ error: "must be true or false" }).default(true),
  /** On destroy, also remove the chain directories this resource created (default false: keep them). */
  deleteBackupsOnDestroy: z.boolean({ error: "must be true or false" }).default(false),
  /** Limit for one backup job; it is aborted and rolled back when reached (default 360 minutes). */
  timeoutMinutes: count("minutes one backup may take", 7 * 24 * 60).default(360),
  /** Take over the chains of this domain already in `directory` and continue the newest. */
  adopt: z.boolean({ error: "must be true or false" }).default(false),
});

export type BackupChainInputs = z.output<typeof backupChainInputsSchema>;
/** What the user may write (defaults not yet applied). */
export type BackupChainArgs = z.input<typeof backupChainInputsSchema>;

/** One backup as the outputs show it. */
export interface BackupOutput {
  /** Its position in the chain: 0 is the full backup, 1 the first incremental, ... */
  readonly sequence: number;
  /** `full` (the whole disks) or `incremental` (the blocks written since the previous backup). */
  readonly level: "full" | "incremental";
  /** The libvirt checkpoint made with it: the next incremental starts from it. */
  readonly checkpoint: string;
  /** When the backup job started (ISO 8601). */
  readonly startedAt: string;
  /** When the backup was complete and recorded (ISO 8601): the time `virtsnap restore --at` compares. */
  readonly completedAt: string;
  /** Why it has its level (e.g. why a new chain started). */
  readonly reason: string;
  /** Bytes the backup job copied from the guest's disks. */
  readonly copiedBytes: number;
  /** Per disk target: the backup file (absolute path) and its size. */
  readonly files: Record<string, BackupFileOutput>;
}

/** One disk's file of a backup. */
export interface BackupFileOutput {
  /** Absolute path of the qcow2 file on the domain's host. */
  readonly path: string;
  /** Bytes the file occupies. */
  readonly size: number;
}

/** One chain as the outputs show it: a full backup and the incrementals on it. */
export interface ChainOutput {
  /** The chain's id: its start time in UTC and a random suffix, e.g. `20261127T030000Z-3fa9c1`. */
  readonly chainId: string;
  /** The chain's directory, `<directory>/<chainId>`. */
  readonly directory: string;
  /** Its manifest.json, the chain's record on disk. */
  readonly manifestPath: string;
  /** When its full backup started (ISO 8601). */
  readonly createdAt: string;
  /** The disk targets every backup of the chain covers. */
  readonly disks: readonly string[];
  /** Its backups, oldest first. */
  readonly backups: readonly BackupOutput[];
}

/** A chain whose manifest cannot be read. */
export interface UnreadableChainOutput {
  /** The chain directory's name. */
  readonly chainId: string;
  /** Why its manifest cannot be used. */
  readonly error: string;
}

/** State: the inputs plus what the manifests on the host say. Never holds `undefined` values. */
export interface BackupChainOutputs extends BackupChainInputs {
  readonly providerVersion: string;
  readonly domainName: string;
  readonly domainUuid: string;
  /** The chains this resource owns, oldest first. */
  readonly chains: readonly ChainOutput[];
  /** Chain ids whose manifest could not be read; they are never deleted by retention. */
  readonly unreadableChains: readonly UnreadableChainOutput[];
  readonly manifestPaths: readonly string[];
  readonly lastBackupAt?: string;
  readonly lastBackupLevel?: "full" | "incremental";
  /** Why the last backup had its level, e.g. "checkpoint ... is missing: a new chain starts". */
  readonly lastBackupReason?: string;
}
