// BackupChain faults under the real Pulumi CLI: each failed `up` leaves the chain restorable and the next `up` succeeds.
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { catchBackupJob } from "../integration/rig/backup-jobs.js";
import { compareImages, copyLiveDisks } from "../integration/rig/disk-copies.js";
import { virsh } from "../integration/rig/host.js";
import { createTestDomain, type TestDomain, writeGuestData } from "../integration/rig/test-domain.js";
import { declare, newStack, type TestStack, virtsnapCli } from "./harness.js";

interface Scenario {
  domain: TestDomain;
  directory: string;
  test: TestStack;
  /** Declares the chain with this trigger and runs `up`; returns the chain's outputs or the error message. */
  backUp(trigger: string): Promise<{ outputs?: ChainOutputs; error?: string }>;
}

interface ChainOutputs {
  chains: { chainId: string; backups: { level: string; reason: string }[] }[];
  lastBackupLevel: string;
  lastBackupReason: string;
  unreadableChains: { chainId: string; error: string }[];
}

async function scenario(domain: TestDomain, directory = join(domain.dir, "backups")): Promise<Scenario> {
  const test = await newStack(inject("lifecycleProject"));
  onTestFinished(() => test.remove());
  onTestFinished(() => test.stack.destroy().then(() => undefined));
  return {
    domain,
    directory,
    test,
    async backUp(trigger) {
      await declare(test.stack, "backupChains", [
        { resource: "nightly", args: { domain: domain.name, directory, trigger } },
      ]);
      try {
        const result = await test.stack.up();
        return { outputs: result.outputs.backupChains?.value.nightly };
      } catch (error) {
        return { error: (error as Error).message };
      }
    },
  };
}

/** The latest point restored with the installed `virtsnap restore` equals the paused guest's disks now. */
async function expectLatestRestores(s: Scenario, label: string): Promise<void> {
  const reference = await copyLiveDisks(s.domain, join(s.domain.dir, `reference-${label}`));
  const to = join(s.domain.dir, `restored-${label}`);
  const restore = await virtsnapCli(inject("lifecycleProject"), "restore", s.directory, "--to", to);
  expect(restore.exitCode, restore.stderr).toBe(0);
  for (const disk of s.domain.disks) {
    expect(
      await compareImages(join(to, `${disk.target}.qcow2`), reference[disk.target] as string),
      disk.target,
    ).toBe("identical");
  }
  expect((await virtsnapCli(inject("lifecycleProject"), "verify", s.directory)).exitCode).toBe(0);
}

/**
 * Writes `length` of new data into the guest, then runs the next backup and returns once its
 * job is caught running (slowed down), with the up's outcome to come. A job can finish before
 * the test slows it (a loaded machine answers monitor commands slowly): then that backup simply
 * succeeded, and the next trigger is tried, up to three times.
 */
async function startAndCatch(
  s: Scenario,
  disk: string,
  length: string,
): Promise<{
  outcome: ReturnType<Scenario["backUp"]>;
  before: Record<string, string>;
  checkpointsBefore: string[];
}> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await writeGuestData(s.domain, disk, { pattern: 0x40 + attempt, offset: "0", length });
    const before = await snapshotOfDirectory(s.directory);
    const checkpointsBefore = await checkpoints(s.domain.name);
    const outcome = s.backUp(`day-${attempt + 1}`);
    const caught = await Promise.race([
      catchBackupJob(s.domain.name).then(
        () => true,
        () => false,
      ),
      outcome.then(() => false),
    ]);
    if (caught) return { outcome, before, checkpointsBefore };
    const finished = await outcome;
    if (finished.error !== undefined)
      throw new Error(`backup ${attempt + 1} failed on its own: ${finished.error}`);
  }
  throw new Error("three backups in a row finished before the test could catch their jobs");
}

const checkpoints = async (domain: string) =>
  (await virsh("checkpoint-list", "--domain", domain, "--name")).split("\n").filter(Boolean).sort();

/** The chain files and manifests on disk, to prove a failed backup changed nothing. */
async function snapshotOfDirectory(directory: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const chain of await readdir(directory)) {
    for (const file of await readdir(join(directory, chain))) {
      state[`${chain}/${file}`] =
        file === "manifest.json" ? await readFile(join(directory, chain, file), "utf8") : "";
    }
  }
  return state;
}

describe("BackupChain faults under the Pulumi CLI", () => {
  it("rolls back a backup job aborted mid-way, and the next `up` takes the incremental", async () => {
    const s = await scenario(await createTestDomain({ diskSize: "1G" }));
    await s.backUp("day-1");
    const { outcome, before, checkpointsBefore } = await startAndCatch(s, "vda", "960M");
    await virsh("domjobabort", "--domain", s.domain.name);
    const failed = await outcome;
    expect(failed.error).toMatch(/incremental backup \d of .* failed: the backup job was cancelled/);
    expect(failed.error).toMatch(/The next `pulumi up` tries again/);
    expect(await snapshotOfDirectory(s.directory)).toEqual(before);
    expect(await checkpoints(s.domain.name)).toEqual(checkpointsBefore);

    const retried = await s.backUp("day-retry");
    expect(retried.error).toBeUndefined();
    expect(retried.outputs?.lastBackupLevel).toBe("incremental");
    await expectLatestRestores(s, "after-abort");
  });

  it("rolls back when the domain is destroyed mid-backup, and the next `up` succeeds once it runs again", async () => {
    const s = await scenario(await createTestDomain({ diskSize: "1G" }));
    await s.backUp("day-1");
    const { outcome, before } = await startAndCatch(s, "vdb", "960M");
    await virsh("destroy", "--domain", s.domain.name);
    const failed = await outcome;
    expect(failed.error).toMatch(/failed: the domain stopped while the backup ran/);
    expect(await snapshotOfDirectory(s.directory)).toEqual(before);

    await virsh("start", "--domain", s.domain.name);
    const retried = await s.backUp("day-retry");
    expect(retried.error).toBeUndefined();
    console.log(
      `after the domain was destroyed mid-backup, the next backup was ${retried.outputs?.lastBackupLevel}: ${retried.outputs?.lastBackupReason}`,
    );
    await expectLatestRestores(s, "after-destroy");
  });

  it("rolls back a backup that fills the target filesystem, and the next `up` succeeds with space", async () => {
    const domain = await createTestDomain({ disks: 1, running: false });
    const directory = join(domain.dir, "small");
    await mkdir(directory);
    // QEMU runs in its own mount namespace (libvirt): the filesystem must be mounted before it starts.
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=12m", "tmpfs", directory]);
    try {
      await virsh("start", "--domain", domain.name);
      const s = await scenario(domain, directory);
      expect((await s.backUp("day-1")).error).toBeUndefined();
      const before = await snapshotOfDirectory(directory);
      await writeGuestData(domain, "vda", { pattern: 0x66, offset: "1M", length: "24M" });

      const failed = await s.backUp("day-2");
      expect(failed.error).toMatch(/failed: the backup job failed: .*No space left on device/);
      expect(await snapshotOfDirectory(directory)).toEqual(before);

      execFileSync("mount", ["-o", "remount,size=96m", directory]);
      const retried = await s.backUp("day-2");
      expect(retried.error).toBeUndefined();
      expect(retried.outputs?.lastBackupLevel).toBe("incremental");
      await expectLatestRestores(s, "after-full-disk");
      await s.test.stack.destroy();
      await virsh("destroy", "--domain", domain.name);
    } finally {
      execFileSync("umount", ["--lazy", directory]);
    }
  });

  it("starts a new chain when the last checkpoint was deleted behind its back, and says why", async () => {
    const s = await scenario(await createTestDomain());
    const first = await s.backUp("day-1");
    const [checkpoint] = await checkpoints(s.domain.name);
    await virsh("checkpoint-delete", "--domain", s.domain.name, "--checkpointname", checkpoint as string);
    await writeGuestData(s.domain, "vda", { pattern: 0x77, offset: "2M", length: "1M" });

    const next = await s.backUp("day-2");
    expect(next.error).toBeUndefined();
    expect(next.outputs?.lastBackupLevel).toBe("full");
    expect(next.outputs?.lastBackupReason).toMatch(
      new RegExp(
        `checkpoint ${checkpoint?.replace(/\./g, "\\.")} is missing from domain .*: a new chain starts with a full backup`,
      ),
    );
    expect(next.outputs?.chains.map((chain) => chain.chainId)).toEqual([
      first.outputs?.chains[0]?.chainId,
      expect.any(String),
    ]);
    await expectLatestRestores(s, "after-checkpoint-loss");
  });

  it("reports an unreadable manifest clearly, deletes nothing, and the next `up` starts a new chain", async () => {
    const s = await scenario(await createTestDomain());
    await s.backUp("day-1");
    const second = await s.backUp("day-2");
    const chainId = second.outputs?.chains[0]?.chainId as string;
    const manifest = join(s.directory, chainId, "manifest.json");
    await writeFile(manifest, '{"format": "virtsnap-backup-chain", "version": 1, "chainId": ');
    const files = await readdir(join(s.directory, chainId));

    const refresh = await s.test.stack.refresh().then(
      () => "",
      (error: Error) => error.message,
    );
    expect(refresh).toMatch(/backup manifest .*manifest\.json cannot be used: it is not valid JSON/);
    expect(refresh).toMatch(/Nothing was changed or deleted/);
    const verify = await virtsnapCli(inject("lifecycleProject"), "verify", s.directory);
    expect(verify.exitCode).toBe(1);
    expect(verify.stdout).toMatch(
      /FAILED\s+\S+:\n\s+backup manifest .* cannot be used: it is not valid JSON/,
    );
    expect(await readdir(join(s.directory, chainId))).toEqual(files);

    await writeGuestData(s.domain, "vdb", { pattern: 0x78, offset: "5M", length: "1M" });
    const next = await s.backUp("day-3");
    expect(next.error).toBeUndefined();
    expect(next.outputs?.lastBackupLevel).toBe("full");
    expect(next.outputs?.lastBackupReason).toMatch(/the manifest of the newest chain .* cannot be read/);
    expect(next.outputs?.unreadableChains.map((chain) => chain.chainId)).toEqual([chainId]);
    expect(await readdir(join(s.directory, chainId))).toEqual(files);
    // The broken chain is still reported by verify; the new one restores.
    const to = join(s.domain.dir, "restored");
    const newest = next.outputs?.chains.at(-1)?.chainId as string;
    const reference = await copyLiveDisks(s.domain, join(s.domain.dir, "reference"));
    const restore = await virtsnapCli(
      inject("lifecycleProject"),
      "restore",
      s.directory,
      "--chain",
      newest,
      "--to",
      to,
    );
    expect(restore.exitCode, restore.stderr).toBe(0);
    for (const disk of s.domain.disks) {
      expect(await compareImages(join(to, `${disk.target}.qcow2`), reference[disk.target] as string)).toBe(
        "identical",
      );
    }
  });
});
