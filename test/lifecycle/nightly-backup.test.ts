// examples/nightly-backup, installed from the packed tarball, over two "nights" under the real Pulumi CLI.
import { mkdtempSync, rmSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { compareImages, copyLiveDisks } from "../integration/rig/disk-copies.js";
import { createTestDomain, writeGuestData } from "../integration/rig/test-domain.js";
import { newStack, previewOps, virtsnapCli } from "./harness.js";
import { installExample } from "./install.js";

describe("examples/nightly-backup", () => {
  it("takes one backup per night, restorable with the installed virtsnap command", async () => {
    const domain = await createTestDomain();
    const project = mkdtempSync(join(tmpdir(), "virtsnap-nightly-"));
    onTestFinished(() => rmSync(project, { recursive: true, force: true }));
    installExample("nightly-backup", project, inject("tarball"));
    const directory = join(domain.dir, "backups");
    const test = await newStack(project, { domain: domain.name, directory, now: "2026-11-27T22:00:00Z" });
    onTestFinished(() => test.remove());

    expect((await test.stack.up()).outputs.lastBackupLevel?.value).toBe("full");
    // A second run the same night changes nothing.
    await test.stack.setConfig("now", { value: "2026-11-27T23:30:00Z" });
    expect(await previewOps(test.stack)).toEqual({});

    await writeGuestData(domain, "vda", { pattern: 0x5a, offset: "1M", length: "128k" });
    await test.stack.setConfig("now", { value: "2026-11-28T22:00:00Z" });
    expect(await previewOps(test.stack)).toEqual({ nightly: "update" });
    const second = await test.stack.up();
    expect(second.outputs.lastBackupLevel?.value).toBe("incremental");
    expect(second.outputs.chains?.value).toEqual([
      { chain: expect.any(String), backups: 2, directory: expect.any(String) },
    ]);

    const reference = await copyLiveDisks(domain, join(domain.dir, "reference"));
    const to = join(domain.dir, "restored");
    expect((await virtsnapCli(project, "restore", directory, "--to", to)).exitCode).toBe(0);
    for (const disk of domain.disks) {
      expect(await compareImages(join(to, `${disk.target}.qcow2`), reference[disk.target] as string)).toBe(
        "identical",
      );
    }

    await test.stack.destroy();
    expect(await readdir(directory)).toHaveLength(1);
  });
});
