// virsh backups, checkpoints and jobs against a real libvirtd: what BackupChain relies on.
import { existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type BackupDiskSpec, buildBackupXml } from "../../provider/tools/virsh/backup-xml.js";
import { buildCheckpointXml, disksMissingBitmap } from "../../provider/tools/virsh/checkpoint-xml.js";
import type { ActiveJobInfo } from "../../provider/tools/virsh/domjob-info.js";
import {
  BackupTargetExistsError,
  CheckpointExistsError,
  CheckpointInconsistentError,
  CheckpointNotFoundError,
  DomainNotRunningError,
} from "../../provider/tools/virsh/errors.js";
import { runner, tools, virsh } from "./rig/host.js";
import { createTestDomain, type TestDomain, writeGuestData } from "./rig/test-domain.js";

const MiB = 1024 * 1024;
const WAIT = { timeoutMs: 120_000, pollMs: 100 };

/** Backs up every disk of the domain into `<dir>/<name>/<target>.qcow2`; returns the files by target. */
async function backup(
  domain: TestDomain,
  name: string,
  options: { incremental?: string; checkpoint?: string } = {},
): Promise<Record<string, string>> {
  const dir = join(domain.dir, name);
  await mkdir(dir);
  const files = Object.fromEntries(
    domain.disks.map((disk) => [disk.target, join(dir, `${disk.target}.qcow2`)]),
  );
  const disks: BackupDiskSpec[] = domain.disks.map((disk) => ({
    target: disk.target,
    backup: "yes",
    file: files[disk.target] ?? "",
  }));
  const checkpointXml =
    options.checkpoint === undefined
      ? undefined
      : buildCheckpointXml({
          name: options.checkpoint,
          disks: domain.disks.map((disk) => ({ target: disk.target, checkpoint: "bitmap" })),
        });
  const backupXml = buildBackupXml({
    ...(options.incremental === undefined ? {} : { incremental: options.incremental }),
    disks,
  });
  await tools.virsh.beginBackup(domain.name, backupXml, checkpointXml);
  return files;
}

async function qemuImg(...args: string[]): Promise<string> {
  return (await runner.run(["qemu-img", ...args], { timeoutMs: 120_000 })).stdout;
}

async function backingFile(image: string): Promise<unknown> {
  return JSON.parse(await qemuImg("info", "-U", "--output=json", image))["backing-filename"];
}

/**
 * Slows the domain's running backup down to `bytesPerSecond` (QEMU's block-job-set-speed: libvirt
 * 9.0 has no backup bandwidth setting), so a test can watch and abort it.
 */
async function throttleBackup(domain: TestDomain, bytesPerSecond: number): Promise<void> {
  const jobs = await virsh("qemu-monitor-command", "--domain", domain.name, '{"execute":"query-block-jobs"}');
  for (const job of jobs.match(/backup-[a-z0-9-]+/g) ?? []) {
    await virsh(
      "qemu-monitor-command",
      "--domain",
      domain.name,
      JSON.stringify({ execute: "block-job-set-speed", arguments: { device: job, speed: bytesPerSecond } }),
    );
  }
}

describe("push backups of a running domain", () => {
  it("takes a full backup with a checkpoint, then an incremental of exactly the bytes written since", async () => {
    const domain = await createTestDomain();
    const [vda, vdb] = domain.disks;
    await writeGuestData(domain, "vda", { pattern: 0x11, offset: "0", length: "4M" });
    await writeGuestData(domain, "vdb", { pattern: 0x22, offset: "0", length: "2M" });

    const full = await backup(domain, "full", { checkpoint: "c1" });
    const fullJob = await tools.virsh.waitForBackupJob(domain.name, WAIT);
    // A full backup's total is the virtual size of every disk it copies (2 x 64 MiB).
    expect(fullJob).toMatchObject({
      type: "completed",
      operation: "backup",
      dataTotal: 128 * MiB,
      dataProcessed: 128 * MiB,
      domainStopped: false,
    });
    expect(fullJob.errorMessage).toBeUndefined();
    // libvirt 9.0 leaves backup files root:root 0600, whoever owns the directory.
    for (const file of Object.values(full)) {
      const stat = statSync(file);
      expect([stat.uid, stat.gid, stat.mode & 0o777]).toEqual([0, 0, 0o600]);
    }
    expect(await tools.virsh.checkpointNames(domain.name)).toEqual(["c1"]);

    await writeGuestData(domain, "vda", { pattern: 0x33, offset: "8M", length: "3M" });
    await writeGuestData(domain, "vdb", { pattern: 0x44, offset: "16M", length: "1M" });
    const dirty = await tools.virsh.checkpoint(domain.name, "c1", {
      size: true,
    });
    expect(dirty.disks.map((disk) => [disk.target, disk.size])).toEqual([
      ["vda", 3 * MiB],
      ["vdb", 1 * MiB],
    ]);

    const incremental = await backup(domain, "inc1", { incremental: "c1", checkpoint: "c2" });
    const incrementalJob = await tools.virsh.waitForBackupJob(domain.name, WAIT);
    expect(incrementalJob).toMatchObject({ type: "completed", dataTotal: 4 * MiB, dataProcessed: 4 * MiB });
    expect(
      await tools.virsh.checkpointNames(domain.name, {
        topological: true,
      }),
    ).toEqual(["c1", "c2"]);
    expect(await tools.virsh.checkpoint(domain.name, "c2")).toMatchObject({
      name: "c2",
      parent: "c1",
    });

    // libvirt 9.0 makes the live disk the incremental file's backing file: read as-is it would
    // show today's data. Rebased onto the full backup, it is the disk as it was at the incremental.
    expect(await backingFile(incremental.vda ?? "")).toBe(vda?.path);
    await virsh("suspend", "--domain", domain.name);
    for (const disk of [vda, vdb]) {
      const target = disk?.target ?? "";
      await qemuImg("rebase", "-u", "-b", full[target] ?? "", "-F", "qcow2", incremental[target] ?? "");
      expect(await qemuImg("compare", "-U", incremental[target] ?? "", disk?.path ?? "")).toMatch(
        /Images are identical/,
      );
      await expect(qemuImg("compare", "-U", full[target] ?? "", disk?.path ?? "")).rejects.toThrow(
        /Content mismatch/,
      );
    }
  });

  it("reports progress while a backup runs, ends it as cancelled on abort, and keeps its checkpoint", async () => {
    // 1.5 GiB of data: the copy runs at ~1 GB/s until throttled, which takes ~0.5 s to reach.
    const domain = await createTestDomain({ diskSize: "2G" });
    await tools.virsh.createCheckpoint(domain.name, buildCheckpointXml({ name: "base" }));
    for (const offset of ["0", "256M", "512M", "768M", "1024M", "1280M"]) {
      await writeGuestData(domain, "vda", { pattern: 0x5a, offset, length: "256M" });
    }

    const dir = join(domain.dir, "aborted");
    await mkdir(dir);
    const target = join(dir, "vda.qcow2");
    await tools.virsh.beginBackup(
      domain.name,
      buildBackupXml({
        disks: [
          { target: "vda", backup: "yes", file: target },
          { target: "vdb", backup: "no" },
        ],
      }),
      buildCheckpointXml({ name: "aborted", disks: [{ target: "vda", checkpoint: "bitmap" }] }),
    );
    await throttleBackup(domain, MiB);
    const progress: ActiveJobInfo[] = [];
    let abort: Promise<boolean> | undefined;
    const job = await tools.virsh.waitForBackupJob(domain.name, {
      ...WAIT,
      onProgress: (info) => {
        progress.push(info);
        if (progress.length === 3) abort = tools.virsh.abortJob(domain.name);
      },
    });

    expect(await abort).toBe(true);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    for (const info of progress.slice(0, 3)) {
      expect(info).toMatchObject({ type: "unbounded", operation: "backup", dataTotal: 2048 * MiB });
      expect((info.dataProcessed ?? 0) + (info.dataRemaining ?? 0)).toBe(info.dataTotal);
    }
    // After domjobabort the job still shows as running for a moment, without its sizes.
    for (const info of progress.slice(3))
      expect(info).toMatchObject({ type: "unbounded", operation: "backup" });
    expect(job).toMatchObject({
      type: "cancelled",
      errorMessage: "Operation canceled",
      domainStopped: false,
    });
    // libvirt removes the partial file...
    expect(existsSync(target)).toBe(false);
    // ...but keeps the checkpoint made for the job (libvirt 9.0). If this fails, libvirt changed
    // and BackupChain's rollback (delete that checkpoint) may no longer be needed.
    expect(
      await tools.virsh.checkpointNames(domain.name, {
        topological: true,
      }),
    ).toEqual(["base", "aborted"]);

    // Rolling back loses no change: the parent's bitmap still records what was written after the
    // deleted checkpoint was made.
    await writeGuestData(domain, "vda", { pattern: 0x5b, offset: "1800M", length: "1M" });
    const sizeOf = async (checkpoint: string) =>
      (
        await tools.virsh.checkpoint(domain.name, checkpoint, {
          size: true,
        })
      ).disks.find((disk) => disk.target === "vda")?.size;
    expect(await sizeOf("aborted")).toBe(1 * MiB);
    await tools.virsh.deleteCheckpoint(domain.name, "aborted");
    expect(await tools.virsh.checkpointNames(domain.name)).toEqual(["base"]);
    expect(await sizeOf("base")).toBe(1537 * MiB);
  });

  it("copies exactly the blocks written since the checkpoint when snapshots were taken in between", async () => {
    const domain = await createTestDomain();
    await backup(domain, "full", { checkpoint: "c1" });
    expect(await tools.virsh.waitForBackupJob(domain.name, WAIT)).toMatchObject({ type: "completed" });

    await writeGuestData(domain, "vda", { pattern: 0x61, offset: "10M", length: "1M" });
    await virsh("snapshot-create-as", "--domain", domain.name, "--name", "internal1");
    await writeGuestData(domain, "vda", { pattern: 0x62, offset: "20M", length: "1M" });
    const overlay = join(domain.dir, "vda.external1");
    await virsh(
      ...["snapshot-create-as", "--domain", domain.name, "--name", "external1", "--disk-only", "--atomic"],
      ...["--diskspec", `vda,file=${overlay}`, "--diskspec", `vdb,file=${join(domain.dir, "vdb.external1")}`],
    );
    await writeGuestData(domain, "vda", { pattern: 0x63, offset: "30M", length: "1M" });

    const incremental = await backup(domain, "inc1", { incremental: "c1" });
    expect(await tools.virsh.waitForBackupJob(domain.name, WAIT)).toMatchObject({
      type: "completed",
      dataTotal: 3 * MiB,
    });
    const map: unknown = JSON.parse(await qemuImg("map", "-U", "--output=json", incremental.vda ?? ""));
    const copied = (Array.isArray(map) ? map : [])
      .filter((extent) => extent.depth === 0 && extent.data === true)
      .map((extent) => [extent.start / MiB, extent.length / MiB]);
    expect(copied).toEqual([
      [10, 1],
      [20, 1],
      [30, 1],
    ]);
    // The live disk is now the external snapshot's overlay: that is the new backing file.
    expect(await backingFile(incremental.vda ?? "")).toBe(overlay);
  });
});

describe("backup and checkpoint failures", () => {
  it("notices a checkpoint whose bitmap was removed behind libvirt's back, and removes it metadata-only", async () => {
    const domain = await createTestDomain();
    await tools.virsh.createCheckpoint(domain.name, buildCheckpointXml({ name: "c1" }));
    await writeGuestData(domain, "vda", { pattern: 0x71, offset: "0", length: "1M" });
    // virsh destroy stops QEMU with SIGTERM: it still writes the persistent bitmaps into the images.
    await virsh("destroy", "--domain", domain.name);
    await qemuImg("bitmap", "--remove", domain.disks[0]?.path ?? "", "c1");
    await virsh("start", "--domain", domain.name);

    const info = await tools.virsh.checkpoint(domain.name, "c1", {
      size: true,
    });
    expect(disksMissingBitmap(info)).toEqual(["vda"]);
    expect(info.disks[1]).toMatchObject({ target: "vdb", size: 0 });
    await expect(backup(domain, "inc", { incremental: "c1" })).rejects.toThrow(CheckpointInconsistentError);
    await expect(tools.virsh.deleteCheckpoint(domain.name, "c1")).rejects.toThrow(
      CheckpointInconsistentError,
    );
    await tools.virsh.deleteCheckpoint(domain.name, "c1", {
      metadataOnly: true,
    });
    expect(await tools.virsh.checkpointNames(domain.name)).toEqual([]);
  });

  it("throws typed errors for a taken name, an existing target and a missing checkpoint", async () => {
    const domain = await createTestDomain();
    await tools.virsh.createCheckpoint(domain.name, buildCheckpointXml({ name: "c1" }));
    await expect(
      tools.virsh.createCheckpoint(domain.name, buildCheckpointXml({ name: "c1" })),
    ).rejects.toThrow(CheckpointExistsError);
    await expect(tools.virsh.checkpoint(domain.name, "c9")).rejects.toThrow(CheckpointNotFoundError);
    await expect(backup(domain, "inc", { incremental: "c9" })).rejects.toThrow(CheckpointNotFoundError);

    await backup(domain, "full");
    expect(await tools.virsh.waitForBackupJob(domain.name, WAIT)).toMatchObject({ type: "completed" });
    const again = buildBackupXml({
      disks: [{ target: "vda", backup: "yes", file: join(domain.dir, "full", "vda.qcow2") }],
    });
    await expect(tools.virsh.beginBackup(domain.name, again)).rejects.toThrow(BackupTargetExistsError);
    await expect(tools.virsh.beginBackup(domain.name, again)).rejects.toThrow(
      /^libvirt on localhost: invalid argument: store '.*\/full\/vda\.qcow2' for backup of 'vda' exists$/,
    );
  });

  it("refuses backups and checkpoints of a shut-off domain with DomainNotRunningError", async () => {
    const domain = await createTestDomain({ running: false });
    await expect(backup(domain, "full", { checkpoint: "c1" })).rejects.toThrow(DomainNotRunningError);
    await expect(
      tools.virsh.createCheckpoint(domain.name, buildCheckpointXml({ name: "c1" })),
    ).rejects.toThrow(DomainNotRunningError);
    expect(await tools.virsh.checkpointNames(domain.name)).toEqual([]);
  });
});
