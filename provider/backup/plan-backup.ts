// Phase 1 of a backup: which domain, disks, level, chain and files; reads only, changes nothing.
import { randomBytes } from "node:crypto";
import type { HostTools } from "../tools/host-tools.js";
import { disksMissingBitmap } from "../tools/virsh/checkpoint-xml.js";
import type { DomainInfo } from "../tools/virsh/domain-xml.js";
import { CheckpointInconsistentError, libvirtReason } from "../tools/virsh/errors.js";
import { BackupRefusedError } from "./backup-errors.js";
import { chainFile } from "./chain-store.js";
import { selectBackupDisks } from "./disks.js";
import type { BackupRecord, Manifest } from "./manifest.js";
import { backupFileName, checkpointName, newChainId } from "./naming.js";
import { planNextBackup } from "./retention.js";

/** Where a BackupChain keeps its chains. */
export interface BackupTarget {
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

/** One disk's file in the backup about to be taken. */
export interface PlannedFile {
  readonly target: string;
  /** The file's name in the chain directory (`0003-inc-vda.qcow2`). */
  readonly file: string;
  /** Its absolute path on the host. */
  readonly path: string;
  /** The previous backup's file of the disk, which this one will sit on; null for a full backup. */
  readonly backingFile: string | null;
}

/** Everything the later phases need to know, decided before anything is written. */
export interface BackupPlan {
  readonly target: BackupTarget;
  readonly domain: DomainInfo;
  readonly level: "full" | "incremental";
  /** Why this level (the first backup, fullEvery reached, a lost checkpoint, ...). */
  readonly reason: string;
  readonly chainId: string;
  readonly sequence: number;
  /** The checkpoint made with this backup. */
  readonly checkpoint: string;
  /** The checkpoint an incremental is taken against; null for a full backup. */
  readonly incrementalFrom: string | null;
  /** The chain an incremental continues. */
  readonly previous: Manifest | undefined;
  /** Disk targets backed up, in the domain's order. */
  readonly disks: readonly string[];
  readonly files: readonly PlannedFile[];
  readonly startedAt: Date;
  /** `incremental backup 3 of web1 (chain ...)`, for messages. */
  readonly label: string;
}

/**
 * Plans the next backup: an incremental continuing the newest of `owned` chains, or a full one
 * starting a new chain. Refuses (BackupRefusedError, BackupDisksError) before anything is written
 * when the domain is shut off or a disk cannot be backed up.
 */
export async function planBackup(
  tools: HostTools,
  target: BackupTarget,
  settings: BackupSettings,
  owned: readonly Manifest[],
): Promise<BackupPlan> {
  const domain = await tools.virsh.domain(target.domain);
  if (!domain.active) {
    throw new BackupRefusedError(
      `Domain "${domain.name}" is shut off: backups need a running domain (libvirt copies the disks from the running QEMU). ` +
        "Start it, or take a DomainSnapshot of the shut-off domain instead.",
    );
  }
  const disks = selectBackupDisks(domain, settings.disks).map((disk) => disk.target);
  const latest = owned.at(-1);
  const next = planNextBackup({
    fullEvery: settings.fullEvery,
    disks,
    ...(latest === undefined ? {} : { latest: summary(latest) }),
    ...optionalProblem(
      settings.newChainReason ??
        (latest === undefined ? undefined : await checkpointProblem(tools, domain, latest)),
    ),
  });
  const startedAt = new Date();
  const incremental = next.level === "incremental";
  const chainId = incremental ? next.chainId : newChainId(startedAt, randomBytes(3).toString("hex"));
  const sequence = incremental ? next.sequence : 0;
  const previous = incremental ? owned.find((chain) => chain.chainId === chainId) : undefined;
  const previousBackup = previous?.backups.at(-1);
  return {
    target,
    domain,
    level: next.level,
    reason: next.reason,
    chainId,
    sequence,
    checkpoint: checkpointName(chainId, sequence),
    incrementalFrom: incremental ? next.incrementalFrom : null,
    previous,
    disks,
    files: disks.map((disk) => {
      const file = backupFileName(sequence, next.level, disk);
      const backingFile = previousBackup?.disks.find((candidate) => candidate.target === disk)?.file ?? null;
      return { target: disk, file, path: chainFile(target.directory, chainId, file), backingFile };
    }),
    startedAt,
    label: `${next.level} backup ${sequence} of ${domain.name} (chain ${chainId})`,
  };
}

function summary(chain: Manifest) {
  return {
    chainId: chain.chainId,
    backups: chain.backups.length,
    disks: chain.disks,
    lastCheckpoint: (chain.backups.at(-1) as BackupRecord).checkpoint,
  };
}

function optionalProblem(problem: string | undefined): { checkpointProblem?: string } {
  return problem === undefined ? {} : { checkpointProblem: problem };
}

/**
 * Why the newest chain's last checkpoint cannot carry an incremental, if so: it is gone from
 * the domain, or its bitmap is gone from a disk (`checkpoint-dumpxml --size` leaves that disk's
 * size out, libvirt 9.0).
 */
async function checkpointProblem(
  tools: HostTools,
  domain: DomainInfo,
  latest: Manifest,
): Promise<string | undefined> {
  const last = (latest.backups.at(-1) as BackupRecord).checkpoint;
  const checkpoints = await tools.virsh.checkpointNames(domain.uuid);
  if (!checkpoints.includes(last)) return `checkpoint ${last} is missing from domain "${domain.name}"`;
  try {
    const missing = disksMissingBitmap(await tools.virsh.checkpoint(domain.uuid, last, { size: true }));
    if (missing.length > 0)
      return `the dirty bitmap of checkpoint ${last} is missing from disk ${missing.join(", ")}`;
  } catch (error) {
    if (error instanceof CheckpointInconsistentError)
      return `checkpoint ${last} is inconsistent (${libvirtReason(error.stderr)})`;
    throw error;
  }
  return undefined;
}
