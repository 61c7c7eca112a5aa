// BackupChain's provider hooks against a real libvirtd: full and incremental backups that restore bit for bit.
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readManifest } from "../../provider/backup/chain-store.js";
import { restorePoint } from "../../provider/backup/restore.js";
import { silentLog } from "../../provider/host/log.js";
import { checkBackupChain } from "../../provider/resources/backup-chain/check.js";
import {
  createBackupChain,
  deleteBackupChain,
  updateBackupChain,
} from "../../provider/resources/backup-chain/lifecycle.js";
import type { BackupChainOutputs } from "../../provider/resources/backup-chain/schema.js";
import { compareImages, copyLiveDisks } from "./rig/disk-copies.js";
import { TEST_URI, tools, virsh } from "./rig/host.js";
import { createTestDomain, writeGuestData } from "./rig/test-domain.js";

function inputs(values: Record<string, unknown>): Record<string, unknown> {
  const { inputs: checked, failures } = checkBackupChain({ uri: TEST_URI, ...values });
  expect(failures).toEqual([]);
  return checked;
}

const checkpoints = async (domain: string) =>
  (await virsh("checkpoint-list", "--domain", domain, "--name")).split("\n").filter(Boolean);

describe("BackupChain hooks", () => {
  it("takes a full and three incrementals that each restore byte for byte", async () => {
    const domain = await createTestDomain({ diskSize: "128M" });
    const directory = join(domain.dir, "backups");
    const references = join(domain.dir, "references");

    const created = await createBackupChain(tools, inputs({ domain: domain.name, directory, trigger: "t0" }));
    let state: BackupChainOutputs = created.outs;
    const copies = [await copyLiveDisks(domain, join(references, "0"))];
    expect(state.lastBackupLevel).toBe("full");

    const writes = [
      { pattern: 0x11, vda: ["1M", "256k"], vdb: ["9M", "64k"] },
      { pattern: 0x22, vda: ["40M", "1M"], vdb: ["3M", "512k"] },
      { pattern: 0x33, vda: ["1M", "64k"], vdb: ["100M", "2M"] },
    ];
    for (const [index, write] of writes.entries()) {
      await writeGuestData(domain, "vda", {
        pattern: write.pattern,
        offset: write.vda[0] as string,
        length: write.vda[1] as string,
      });
      await writeGuestData(domain, "vdb", {
        pattern: write.pattern,
        offset: write.vdb[0] as string,
        length: write.vdb[1] as string,
      });
      state = (
        await updateBackupChain(
          tools,
          state,
          inputs({ domain: domain.name, directory, trigger: `t${index + 1}` }),
        )
      ).outs;
      copies.push(await copyLiveDisks(domain, join(references, String(index + 1))));
    }

    expect(state.chains).toHaveLength(1);
    const chain = state.chains[0];
    expect(chain?.backups.map((b) => b.level)).toEqual(["full", "incremental", "incremental", "incremental"]);
    // Each incremental copied about what was written, not the whole disk.
    const written = writes.map((w) => toBytes(w.vda[1] as string) + toBytes(w.vdb[1] as string));
    chain?.backups.slice(1).forEach((backup, index) => {
      expect(backup.copiedBytes).toBeGreaterThanOrEqual(written[index] as number);
      expect(backup.copiedBytes).toBeLessThan((written[index] as number) + 2 * 1024 * 1024);
    });

    const manifest = await readManifest(tools.files, directory, chain?.chainId as string);
    for (let sequence = 0; sequence < 4; sequence++) {
      const to = join(domain.dir, "restored", String(sequence));
      const result = await restorePoint(tools, directory, manifest, { sequence }, to, {
        log: silentLog,
      });
      for (const disk of result.disks) {
        expect(
          await compareImages(disk.path, copies[sequence]?.[disk.target] as string),
          `${disk.target}@${sequence}`,
        ).toBe("identical");
      }
    }
    // Plain qemu-img reads the top file through its backing links: the same bytes.
    const top = join(directory, chain?.chainId as string, "0003-inc-vdb.qcow2");
    expect(await compareImages(top, copies[3]?.vdb as string)).toBe("identical");

    await deleteBackupChain(tools, state);
    expect(await checkpoints(domain.name)).toEqual([]);
    expect(existsSync(top)).toBe(true);
  });

  it("starts new chains per fullEvery and keeps keepChains of them", async () => {
    const domain = await createTestDomain({ disks: 1 });
    const directory = join(domain.dir, "backups");
    const settings = { domain: domain.name, directory, fullEvery: 2, keepChains: 2 };
    let state = (await createBackupChain(tools, inputs({ ...settings, trigger: "0" }))).outs;
    for (let trigger = 1; trigger < 7; trigger++) {
      state = (await updateBackupChain(tools, state, inputs({ ...settings, trigger: String(trigger) }))).outs;
    }
    expect(state.chains.map((chain) => chain.backups.length)).toEqual([2, 1]);
    expect((await readdir(directory)).sort()).toEqual(state.chains.map((chain) => chain.chainId).sort());
    // Only the newest chain's checkpoint is left on the domain.
    expect(await checkpoints(domain.name)).toEqual([state.chains[1]?.backups[0]?.checkpoint]);
    await deleteBackupChain(tools, { ...state, deleteBackupsOnDestroy: true });
    expect(await readdir(directory)).toEqual([]);
  });
});

function toBytes(size: string): number {
  const units: Record<string, number> = { k: 1024, M: 1024 * 1024 };
  const match = size.match(/^(\d+)([kM])$/);
  return Number(match?.[1]) * (units[match?.[2] ?? "k"] ?? 1);
}
