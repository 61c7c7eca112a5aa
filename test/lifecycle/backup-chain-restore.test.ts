// BackupChain under the real Pulumi CLI: a full and three incrementals that restore bit for bit.
import { copyFile, mkdir, readdir, rm, truncate } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { compareImages, copyLiveDisks } from "../integration/rig/disk-copies.js";
import { runner, virsh } from "../integration/rig/host.js";
import {
  createTestDomain,
  removeTestDomain,
  type TestDomain,
  writeGuestData,
} from "../integration/rig/test-domain.js";
import { newStack, previewOps, type TestStack, virtsnapCli } from "./harness.js";

const MiB = 1024 * 1024;

describe("BackupChain: full and incremental backups under the Pulumi CLI", () => {
  let domain: TestDomain;
  let test: TestStack;
  let directory: string;
  const project = () => inject("lifecycleProject");
  const references: Record<string, string>[] = [];

  async function backUp(trigger: string): Promise<Record<string, unknown>> {
    await test.stack.setConfig("backupChains", {
      value: JSON.stringify([
        {
          resource: "nightly",
          args: { domain: domain.name, directory, trigger, fullEvery: 7, keepChains: 2 },
        },
      ]),
    });
    const result = await test.stack.up();
    references.push(await copyLiveDisks(domain, join(domain.dir, "references", String(references.length))));
    return result.outputs.backupChains?.value.nightly;
  }

  beforeAll(async () => {
    domain = await createTestDomain({ diskSize: "256M", removeAfterTest: false });
    directory = join(domain.dir, "backups");
    test = await newStack(project());
  });

  afterAll(async () => {
    await test?.stack.destroy().catch(() => undefined);
    await test?.remove();
    if (domain) await removeTestDomain(domain.name);
  });

  it("takes a full backup on the first `up` and an incremental on each new trigger", async () => {
    expect((await backUp("day-0")).lastBackupLevel).toBe("full");
    const writes = [
      { pattern: 0x11, vda: [1 * MiB, 256 * 1024], vdb: [9 * MiB, 64 * 1024] },
      { pattern: 0x22, vda: [40 * MiB, 4 * MiB], vdb: [3 * MiB, 512 * 1024] },
      { pattern: 0x33, vda: [1 * MiB, 64 * 1024], vdb: [100 * MiB, 8 * MiB] },
    ];
    for (const [index, write] of writes.entries()) {
      for (const disk of ["vda", "vdb"] as const) {
        const [offset, length] = write[disk] as [number, number];
        await writeGuestData(domain, disk, {
          pattern: write.pattern,
          offset: String(offset),
          length: String(length),
        });
      }
      await test.stack.setConfig("backupChains", {
        value: JSON.stringify([
          {
            resource: "nightly",
            args: {
              domain: domain.name,
              directory,
              trigger: `day-${index + 1}`,
              fullEvery: 7,
              keepChains: 2,
            },
          },
        ]),
      });
      expect(await previewOps(test.stack)).toEqual({ nightly: "update" });
      const outputs = (await backUp(`day-${index + 1}`)) as {
        chains: { backups: { copiedBytes: number }[] }[];
      };
      const copied = outputs.chains[0]?.backups.at(-1)?.copiedBytes ?? 0;
      const written = (write.vda[1] as number) + (write.vdb[1] as number);
      console.log(
        `incremental ${index + 1}: wrote ${written} bytes into the guest, the backup copied ${copied}`,
      );
      // Only the changed blocks are copied: at least what was written, at most a few clusters more.
      expect(copied).toBeGreaterThanOrEqual(written);
      expect(copied).toBeLessThanOrEqual(written + 2 * MiB);
    }
    const outputs = (await test.stack.outputs()).backupChains?.value.nightly;
    expect(outputs.chains).toHaveLength(1);
    expect(outputs.chains[0].backups.map((b: { level: string }) => b.level)).toEqual([
      "full",
      "incremental",
      "incremental",
      "incremental",
    ]);
  });

  it("restores every point in time with `virtsnap restore`, byte-identical to the paused guest's disks", async () => {
    const chainId = (await test.stack.outputs()).backupChains?.value.nightly.chains[0].chainId;
    for (let sequence = 0; sequence < 4; sequence++) {
      const to = join(domain.dir, "restored", String(sequence));
      const result = await virtsnapCli(
        project(),
        "restore",
        directory,
        "--chain",
        chainId,
        "--at",
        String(sequence),
        "--to",
        to,
      );
      expect(result).toMatchObject({ exitCode: 0 });
      // Not a terminal: progress comes as plain lines on stderr.
      expect(result.stderr).toMatch(
        new RegExp(`restoring vda from backup ${sequence} of chain \\S+ → ${to}/vda.qcow2\\n`),
      );
      for (const disk of ["vda", "vdb"]) {
        expect(
          await compareImages(join(to, `${disk}.qcow2`), references[sequence]?.[disk] as string),
          `${disk}@${sequence}`,
        ).toBe("identical");
      }
    }
    // The latest point by default, and refusing to overwrite.
    const again = await virtsnapCli(
      project(),
      "restore",
      directory,
      "--to",
      join(domain.dir, "restored", "3"),
    );
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/already exists: restore never overwrites/);
  });

  it("restores the same bytes with plain `qemu-img convert` of the top file", async () => {
    const chainId = (await test.stack.outputs()).backupChains?.value.nightly.chains[0].chainId;
    for (const disk of ["vda", "vdb"]) {
      const out = join(domain.dir, `plain-${disk}.qcow2`);
      await runner.run([
        "qemu-img",
        "convert",
        "-O",
        "qcow2",
        join(directory, chainId, `0003-inc-${disk}.qcow2`),
        out,
      ]);
      expect(await compareImages(out, references[3]?.[disk] as string)).toBe("identical");
    }
  });

  it("lists and verifies the chain with the virtsnap command", async () => {
    const list = await virtsnapCli(project(), "list", directory);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/CHAIN\s+DOMAIN\s+#\s+LEVEL/);
    expect(list.stdout.trim().split("\n")).toHaveLength(5);
    const verify = await virtsnapCli(project(), "verify", directory);
    expect(verify).toMatchObject({ exitCode: 0 });
    expect(verify.stdout).toMatch(/^ok\s+\S+: 4 backups, 8 files$/m);
  });

  it("makes `virtsnap verify` fail on a truncated file, a broken backing link and a missing file", async () => {
    const chainId = (await test.stack.outputs()).backupChains?.value.nightly.chains[0].chainId;
    const broken = async (name: string, damage: (chainDir: string) => Promise<void>) => {
      const copy = join(domain.dir, `damaged-${name}`);
      await mkdir(join(copy, chainId), { recursive: true });
      for (const file of await readdir(join(directory, chainId))) {
        await copyFile(join(directory, chainId, file), join(copy, chainId, file));
      }
      await damage(join(copy, chainId));
      return virtsnapCli(project(), "verify", copy);
    };
    const truncated = await broken("truncated", (dir) => truncate(join(dir, "0002-inc-vda.qcow2"), 65536));
    expect(truncated.exitCode).toBe(1);
    expect(truncated.stdout).toMatch(
      /0002-inc-vda.qcow2 has 65536 bytes, the manifest recorded \d+: it was truncated/,
    );

    const relinked = await broken("relinked", async (dir) => {
      await runner.run([
        "qemu-img",
        "rebase",
        "-u",
        "-F",
        "qcow2",
        "-b",
        "0000-full-vda.qcow2",
        join(dir, "0002-inc-vda.qcow2"),
      ]);
    });
    expect(relinked.exitCode).toBe(1);
    expect(relinked.stdout).toMatch(
      /0002-inc-vda.qcow2 .*backing link is broken|0002-inc-vda.qcow2 has \d+ bytes/,
    );

    const missing = await broken("missing", (dir) => rm(join(dir, "0001-inc-vdb.qcow2")));
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toMatch(/0001-inc-vdb.qcow2 is missing \(backup 1, disk vdb\)/);
  });

  it("removes its checkpoints on `destroy` and keeps the backup files", async () => {
    const chainId = (await test.stack.outputs()).backupChains?.value.nightly.chains[0].chainId;
    expect((await virsh("checkpoint-list", "--domain", domain.name, "--name")).trim()).not.toBe("");
    await test.stack.destroy();
    expect((await virsh("checkpoint-list", "--domain", domain.name, "--name")).trim()).toBe("");
    expect((await readdir(join(directory, chainId))).sort()).toContain("manifest.json");
    expect((await virtsnapCli(project(), "verify", directory)).exitCode).toBe(0);
  });
});
