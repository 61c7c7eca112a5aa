// `npm run bench`: how long backups, restores and snapshots take on this machine, with the machine named.
// One run of each step on a throwaway domain; the numbers for README.md come from here.
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { readManifest } from "../provider/backup/chain-store.js";
import { restorePoint } from "../provider/backup/restore.js";
import { verifyChain } from "../provider/backup/verify-chain.js";
import { silentLog } from "../provider/host/log.js";
import { checkBackupChain } from "../provider/resources/backup-chain/check.js";
import { createBackupChain, updateBackupChain } from "../provider/resources/backup-chain/lifecycle.js";
import type { BackupChainOutputs } from "../provider/resources/backup-chain/schema.js";
import { checkDomainSnapshot } from "../provider/resources/domain-snapshot/check.js";
import { createDomainSnapshot } from "../provider/resources/domain-snapshot/lifecycle.js";
import { TEST_URI, tools } from "../test/integration/rig/host.js";
import { createTestDomain, writeGuestData } from "../test/integration/rig/test-domain.js";

const MiB = 1024 * 1024;
const DATA_MIB = Number(process.env.VIRTSNAP_BENCH_DATA_MIB ?? 2048);

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

function machine(): string {
  const sh = (command: string) => execFileSync("sh", ["-c", command], { encoding: "utf8" }).trim();
  return [
    `CPU: ${cpus()[0]?.model ?? "unknown"} × ${cpus().length}, RAM ${Math.round(totalmem() / 1024 ** 3)} GiB`,
    `Images on: ${sh("df -T /var/lib/libvirt/images | awk 'NR==2 {print $2\" on \"$1}'")}`,
    `Kernel ${sh("uname -r")}, ${sh("virsh --version | sed 's/^/libvirt /'")}, ${sh("qemu-img --version | head -1")}`,
    `QEMU accelerator for the test domain: TCG (the guest runs no OS; the copies are host-side block jobs)`,
  ].join("\n");
}

describe("virtsnap benchmark", () => {
  it("measures backups, restore, verify and snapshots", { timeout: 3_600_000 }, async () => {
    const rows: string[][] = [];
    const record = (what: string, seconds: number, bytes?: number) =>
      rows.push([
        what,
        `${seconds.toFixed(2)} s`,
        bytes === undefined ? "" : `${(bytes / MiB).toFixed(0)} MiB`,
        bytes === undefined ? "" : `${(bytes / MiB / seconds).toFixed(0)} MiB/s`,
      ]);

    const domain = await createTestDomain({ disks: 1, diskSize: `${DATA_MIB * 2}M` });
    const directory = join(domain.dir, "backups");
    for (let offset = 0; offset < DATA_MIB; offset += 512) {
      const length = Math.min(512, DATA_MIB - offset);
      await writeGuestData(domain, "vda", { pattern: 0x5a, offset: `${offset}M`, length: `${length}M` });
    }
    const inputs = (trigger: string) =>
      checkBackupChain({ uri: TEST_URI, domain: domain.name, directory, trigger }).inputs;

    const full = await timed(() => createBackupChain(tools, inputs("0")));
    let state: BackupChainOutputs = full.value.outs;
    record(
      `full backup (${DATA_MIB * 2} MiB disk, ${DATA_MIB} MiB of data)`,
      full.seconds,
      state.chains[0]?.backups[0]?.copiedBytes,
    );

    for (let offset = 0; offset < 64; offset++) {
      await writeGuestData(domain, "vda", { pattern: 0x11, offset: `${offset * 31}M`, length: "1M" });
    }
    const incremental = await timed(() => updateBackupChain(tools, state, inputs("1")));
    state = incremental.value.outs;
    record(
      "incremental backup (64 × 1 MiB changed)",
      incremental.seconds,
      state.chains[0]?.backups[1]?.copiedBytes,
    );

    const empty = await timed(() => updateBackupChain(tools, state, inputs("2")));
    state = empty.value.outs;
    record("incremental backup (nothing changed): the fixed cost", empty.seconds);

    const manifest = await readManifest(tools.files, directory, state.chains[0]?.chainId as string);
    const verify = await timed(() => verifyChain(tools, directory, manifest));
    record("verify the chain (3 backups)", verify.seconds);

    const restore = await timed(() =>
      restorePoint(tools, directory, manifest, { latest: true }, join(domain.dir, "restored"), {
        log: silentLog,
      }),
    );
    record(
      `restore the latest point (reads through 3 files, writes ${DATA_MIB} MiB)`,
      restore.seconds,
      DATA_MIB * MiB,
    );

    const snapshot = await timed(() =>
      createDomainSnapshot(
        tools,
        checkDomainSnapshot({ uri: TEST_URI, domain: domain.name, name: "bench" }).inputs,
      ),
    );
    record("DomainSnapshot, internal with 64 MiB of guest memory", snapshot.seconds);

    const table = [
      "| step | time | copied | throughput |",
      "|---|---|---|---|",
      ...rows.map((row) => `| ${row.join(" | ")} |`),
    ].join("\n");
    console.log(`\nvirtsnap benchmark\n${machine()}\n\n${table}\n`);
  });
});
