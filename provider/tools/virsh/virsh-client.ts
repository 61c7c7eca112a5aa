// virsh bound to one libvirt host: build the argv, run it, parse the answer, classify failures naming the host.
import type { RunOptions } from "../../host/command-runner.js";
import { QUERY_TIMEOUT_MS } from "../../host/command-runner.js";
import { CommandError } from "../../host/errors.js";
import type { Host } from "../../host/host.js";
import { withTempFile } from "../../host/temp-file.js";
import {
  domainDumpXmlArgv,
  type SnapshotCreateFlags,
  snapshotCreateArgv,
  snapshotDeleteArgv,
  snapshotDumpXmlArgv,
  snapshotListArgv,
} from "./argv.js";
import {
  backupBeginArgv,
  checkpointCreateArgv,
  checkpointDeleteArgv,
  checkpointDumpXmlArgv,
  checkpointListArgv,
  domJobAbortArgv,
  domJobInfoArgv,
} from "./backup-argv.js";
import { type FinishedBackupJob, type WaitForBackupJobOptions, waitForBackupJob } from "./backup-job.js";
import { type CheckpointInfo, parseCheckpointList, parseCheckpointXml } from "./checkpoint-xml.js";
import { type DomainInfo, parseDomainXml } from "./domain-xml.js";
import { type DomainJobInfo, parseDomJobInfo } from "./domjob-info.js";
import { classifyVirshError } from "./errors.js";
import { parseLineList } from "./name-list.js";
import { poolNamesArgv, poolVolumesArgv } from "./pool-argv.js";
import { type PoolVolume, parsePoolNames, parsePoolVolumes } from "./pool-output.js";
import { parseSnapshotXml, type SnapshotInfo } from "./snapshot-xml.js";
import { activeDomainUuidsArgv, volumePathArgv } from "./volume-argv.js";
import { parseVolumeDisks, type VolumeDiskSource } from "./volume-disk-xml.js";
import { parseDomainUuids, parseVolumePath } from "./volume-output.js";

/** A snapshot create with memory saves guest RAM: allow for large guests on slow disks. */
const SNAPSHOT_CREATE_TIMEOUT_MS = 30 * 60_000;

/**
 * backup-begin returns once the job runs, but libvirt 9.0 first waits up to 30 s for the domain's
 * job lock when another job (a backup, a snapshot) holds it, then fails with "cannot acquire
 * state change lock" (JobActiveError). Leave room for that wait.
 */
const BACKUP_BEGIN_TIMEOUT_MS = 120_000;

/**
 * virsh on one libvirt host: domains, snapshots, checkpoints, backup jobs, storage pools.
 * virsh runs on this machine and reaches the host through the URI; every failure is the most
 * specific error class (DomainNotFoundError, JobActiveError, ...) and names the libvirt host.
 */
export class VirshClient {
  readonly host: Host;

  constructor(host: Host) {
    this.host = host;
  }

  /** The domain's identity, state and disks (`dumpxml`). */
  async domain(domain: string): Promise<DomainInfo> {
    return parseDomainXml(await this.run(domainDumpXmlArgv(this.host.uri, domain)));
  }

  /** A domain's disks as `dumpxml` shows them, with the pool and volume of its `type='volume'` disks. */
  async domainWithVolumes(domain: string): Promise<{ domain: DomainInfo; volumeDisks: VolumeDiskSource[] }> {
    const xml = await this.run(domainDumpXmlArgv(this.host.uri, domain));
    return { domain: parseDomainXml(xml), volumeDisks: parseVolumeDisks(xml) };
  }

  /** UUIDs of the domains that have a QEMU process: running, paused, being shut down. */
  async activeDomains(): Promise<string[]> {
    return parseDomainUuids(await this.run(activeDomainUuidsArgv(this.host.uri)));
  }

  /** Names of the domain's snapshots (`snapshot-list --name`, one per line). */
  async snapshotNames(domain: string): Promise<string[]> {
    const stdout = await this.run(snapshotListArgv(this.host.uri, domain));
    return parseLineList("virsh snapshot-list --name", stdout);
  }

  /** A snapshot's parsed description and the raw XML it came from (for redefine). */
  async snapshot(domain: string, snapshot: string): Promise<{ info: SnapshotInfo; xml: string }> {
    const xml = await this.run(snapshotDumpXmlArgv(this.host.uri, domain, snapshot));
    return { info: parseSnapshotXml(xml), xml };
  }

  /** `snapshot-create` from XML (handed to virsh in a private temporary file). */
  async createSnapshot(domain: string, xml: string, flags: SnapshotCreateFlags): Promise<void> {
    await withTempFile("snapshot.xml", xml, (file) =>
      this.run(snapshotCreateArgv(this.host.uri, domain, file, flags), {
        timeoutMs: SNAPSHOT_CREATE_TIMEOUT_MS,
      }),
    );
  }

  /** Deletes a snapshot; with `metadataOnly` libvirt forgets it and leaves the images alone. */
  async deleteSnapshot(
    domain: string,
    snapshot: string,
    options: { metadataOnly?: boolean } = {},
  ): Promise<void> {
    await this.run(snapshotDeleteArgv(this.host.uri, domain, snapshot, options.metadataOnly ?? false), {
      timeoutMs: SNAPSHOT_CREATE_TIMEOUT_MS,
    });
  }

  /**
   * Starts a push-mode backup and returns as soon as the job runs (it may already be over when
   * this returns: a small disk copies in milliseconds). With `checkpointXml`, libvirt creates that
   * checkpoint atomically with the backup's start, and keeps it even when the job later fails or
   * is aborted (libvirt 9.0): the caller deletes it to roll back.
   */
  async beginBackup(domain: string, backupXml: string, checkpointXml?: string): Promise<void> {
    await withTempFile("backup.xml", backupXml, async (backupFile) => {
      const run = (checkpointFile?: string) =>
        this.run(backupBeginArgv(this.host.uri, domain, backupFile, checkpointFile), {
          timeoutMs: BACKUP_BEGIN_TIMEOUT_MS,
        });
      if (checkpointXml === undefined) return run();
      return withTempFile("checkpoint.xml", checkpointXml, run);
    });
  }

  /** The domain's running job, or with `completed` the last finished one (kept for later reads). */
  async jobInfo(domain: string, options: { completed?: boolean } = {}): Promise<DomainJobInfo> {
    const argv = domJobInfoArgv(
      this.host.uri,
      domain,
      options.completed ? { completed: true, keepCompleted: true } : {},
    );
    return parseDomJobInfo(await this.run(argv));
  }

  /**
   * Aborts the domain's running job. Resolves `false` when no job was running (it may have just
   * finished: read its outcome with {@link waitForBackupJob}). The abort is asynchronous: the job
   * still shows as running for a moment, then finishes as `cancelled`.
   */
  async abortJob(domain: string): Promise<boolean> {
    try {
      await this.run(domJobAbortArgv(this.host.uri, domain));
      return true;
    } catch (error) {
      // libvirt 9.0: "Requested operation is not valid: no job is active on the domain".
      if (error instanceof CommandError && /no job is active on the domain/.test(error.stderr)) return false;
      throw error;
    }
  }

  /** Waits for the backup job {@link beginBackup} started to end, and returns how it ended. */
  async waitForBackupJob(domain: string, options: WaitForBackupJobOptions): Promise<FinishedBackupJob> {
    return waitForBackupJob(this, domain, options);
  }

  /** Creates a checkpoint outside a backup (or, with `redefine`, re-registers one from its dumped XML). */
  async createCheckpoint(domain: string, xml: string, options: { redefine?: boolean } = {}): Promise<void> {
    await withTempFile("checkpoint.xml", xml, (file) =>
      this.run(checkpointCreateArgv(this.host.uri, domain, file, options)),
    );
  }

  /** Names of the domain's checkpoints; `topological` lists every parent before its children. */
  async checkpointNames(domain: string, options: { topological?: boolean } = {}): Promise<string[]> {
    return parseCheckpointList(await this.run(checkpointListArgv(this.host.uri, domain, options)));
  }

  /**
   * A checkpoint's description. With `size` (running domains only: DomainNotRunningError
   * otherwise), each disk's dirty bytes since the checkpoint, read in ~30 ms; a disk whose bitmap
   * is gone has no size (see disksMissingBitmap in checkpoint-xml.ts).
   */
  async checkpoint(
    domain: string,
    checkpoint: string,
    options: { size?: boolean } = {},
  ): Promise<CheckpointInfo> {
    const argv = checkpointDumpXmlArgv(this.host.uri, domain, checkpoint, {
      size: options.size ?? false,
      noDomain: true,
    });
    return parseCheckpointXml(await this.run(argv));
  }

  /** A checkpoint's full XML, with the domain definition it holds: what `createCheckpoint(redefine)` takes. */
  async checkpointXml(domain: string, checkpoint: string): Promise<string> {
    return this.run(checkpointDumpXmlArgv(this.host.uri, domain, checkpoint));
  }

  /**
   * Deletes a checkpoint. Without `metadataOnly`, libvirt 9.0 also removes its bitmaps from the
   * images; every checkpoint's bitmap records all writes since it was made, so the parent still
   * covers the deleted one's changes and no change is lost for the next incremental. That needs a
   * running domain (DomainNotRunningError otherwise) and the bitmaps present
   * (CheckpointInconsistentError otherwise); `metadataOnly` works in both cases and leaves the
   * bitmaps in the images.
   */
  async deleteCheckpoint(
    domain: string,
    checkpoint: string,
    options: { metadataOnly?: boolean } = {},
  ): Promise<void> {
    await this.run(checkpointDeleteArgv(this.host.uri, domain, checkpoint, options));
  }

  /**
   * The path behind a pool's volume: StoragePoolNotFoundError, StoragePoolInactiveError or
   * StorageVolumeNotFoundError when there is none.
   */
  async volumePath(pool: string, volume: string): Promise<string> {
    return parseVolumePath(await this.run(volumePathArgv(this.host.uri, pool, volume)));
  }

  /** Names of the defined pools (`all`), or of the active ones only. */
  async pools(options: { all?: boolean } = {}): Promise<string[]> {
    return parsePoolNames(await this.run(poolNamesArgv(this.host.uri, options)));
  }

  /** The volumes of an active pool, sorted by name as virsh lists them. */
  async poolVolumes(pool: string): Promise<PoolVolume[]> {
    return parsePoolVolumes(await this.run(poolVolumesArgv(this.host.uri, pool)));
  }

  /** stdout of one virsh run; a failure is thrown classified, naming the libvirt host. */
  private async run(argv: readonly string[], options: RunOptions = {}): Promise<string> {
    try {
      return (await this.host.virshRunner.run(argv, { timeoutMs: QUERY_TIMEOUT_MS, ...options })).stdout;
    } catch (error) {
      throw classifyVirshError(error, this.host.name);
    }
  }
}
