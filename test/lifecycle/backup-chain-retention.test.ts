// BackupChain retention under the real Pulumi CLI: fullEvery and keepChains across many triggers, destroy, bad input.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { virsh } from "../integration/rig/host.js";
import { createTestDomain, writeGuestData } from "../integration/rig/test-domain.js";
import { declare, newStack, virtsnapCli } from "./harness.js";

interface ChainFacts {
  chainId: string;
  backups: { level: string; checkpoint: string; files: Record<string, { path: string }> }[];
}

describe("BackupChain retention under the Pulumi CLI", () => {
  it("keeps the right chains across 11 triggers with fullEvery 3 and keepChains 2", async () => {
    const domain = await createTestDomain({ disks: 1 });
    const directory = join(domain.dir, "backups");
    const test = await newStack(inject("lifecycleProject"));
    onTestFinished(() => test.remove());
    onTestFinished(() => test.stack.destroy().then(() => undefined));

    // What the chains hold after each trigger: a full backup every 3, two chains kept.
    const expected = [[1], [2], [3], [3, 1], [3, 2], [3, 3], [3, 1], [3, 2], [3, 3], [3, 1], [3, 2]];
    for (const [trigger, shape] of expected.entries()) {
      await writeGuestData(domain, "vda", { pattern: trigger + 1, offset: `${trigger}M`, length: "64k" });
      await declare(test.stack, "backupChains", [
        {
          resource: "nightly",
          args: { domain: domain.name, directory, trigger: `t${trigger}`, fullEvery: 3, keepChains: 2 },
        },
      ]);
      const result = await test.stack.up();
      const chains: ChainFacts[] = result.outputs.backupChains?.value.nightly.chains;

      expect(
        chains.map((chain) => chain.backups.length),
        `after trigger ${trigger}`,
      ).toEqual(shape);
      expect(chains.map((chain) => chain.backups[0]?.level)).toEqual(chains.map(() => "full"));
      // On disk: exactly the chains in the outputs, each complete and consistent.
      expect((await readdir(directory)).sort()).toEqual(chains.map((chain) => chain.chainId).sort());
      const verify = await virtsnapCli(inject("lifecycleProject"), "verify", directory);
      expect(verify.stdout).not.toMatch(/FAILED/);
      expect(verify.exitCode).toBe(0);
      // On the domain: only the newest chain's checkpoints.
      const newest = chains.at(-1) as ChainFacts;
      const checkpoints = (await virsh("checkpoint-list", "--domain", domain.name, "--name"))
        .split("\n")
        .filter(Boolean);
      expect(checkpoints.sort()).toEqual(newest.backups.map((backup) => backup.checkpoint).sort());
    }
  });

  it("removes only the chain directories it created when deleteBackupsOnDestroy is set", async () => {
    const domain = await createTestDomain({ disks: 1 });
    const directory = join(domain.dir, "backups");
    await mkdir(join(directory, "keep-me"), { recursive: true });
    await writeFile(join(directory, "keep-me", "notes.txt"), "not virtsnap's");
    const test = await newStack(inject("lifecycleProject"));
    onTestFinished(() => test.remove());
    const spec = (trigger: string) => [
      {
        resource: "nightly",
        args: {
          domain: domain.name,
          directory,
          trigger,
          fullEvery: 1,
          keepChains: 3,
          deleteBackupsOnDestroy: true,
        },
      },
    ];
    for (const trigger of ["a", "b"]) {
      await declare(test.stack, "backupChains", spec(trigger));
      await test.stack.up();
    }
    expect(await readdir(directory)).toHaveLength(3);

    await test.stack.destroy();
    expect(await readdir(directory)).toEqual(["keep-me"]);
    expect((await virsh("checkpoint-list", "--domain", domain.name, "--name")).trim()).toBe("");
  });
});

describe("BackupChain bad input under the Pulumi CLI", () => {
  it("rejects bad settings at check time, naming each property, before any backup starts", async () => {
    const domain = await createTestDomain({ disks: 1 });
    const test = await newStack(inject("lifecycleProject"));
    onTestFinished(() => test.remove());
    const upFailure = async (args: Record<string, unknown>) => {
      await declare(test.stack, "backupChains", [
        { resource: "nightly", args: { domain: domain.name, ...args } },
      ]);
      return test.stack.up().then(
        () => "",
        (error: Error) => error.message,
      );
    };
    const relative = await upFailure({ directory: "backups", fullEvery: 0 });
    expect(relative).toMatch(
      /property directory value \{backups\} has a problem: must be an absolute path \(start with \/\)\n/,
    );
    expect(relative).toMatch(/property fullEvery value \{0\} has a problem: must be at least 1/);
    const hostile = await upFailure({ directory: "/var/backups/$(reboot)", keepChains: -1 });
    expect(hostile).toMatch(
      /property directory value \{\/var\/backups\/\$\(reboot\)\} has a problem: may only contain/,
    );
    expect(hostile).toMatch(/property keepChains value \{-1\} has a problem: must be at least 1/);
    expect((await virsh("checkpoint-list", "--domain", domain.name, "--name")).trim()).toBe("");
  });

  it.each([
    [
      "a disk the domain lacks",
      { disks: ["vdz"] },
      {},
      /disks: domain "virtsnap-test-[\w-]+" has no disk vdz \(its disks: vda \(disk, qcow2\)\)/,
    ],
    [
      "a raw disk",
      { disks: ["vdb"] },
      { formats: ["qcow2", "raw"] as const, disks: 2 },
      /vdb of domain .* is raw, not qcow2.*incremental backups need qcow2/,
    ],
    ["a shut-off domain", {}, { running: false }, /is shut off: backups need a running domain/],
  ])("fails create clearly for %s, leaving nothing behind", async (_what, args, domainOptions, reason) => {
    const domain = await createTestDomain({ disks: 1, ...domainOptions });
    const directory = join(domain.dir, "backups");
    const test = await newStack(inject("lifecycleProject"));
    onTestFinished(() => test.remove());
    await declare(test.stack, "backupChains", [
      { resource: "nightly", args: { domain: domain.name, directory, ...args } },
    ]);
    const message = await test.stack.up().then(
      () => "",
      (error: Error) => error.message,
    );
    expect(message).toMatch(reason);
    expect(await readdir(directory).catch(() => [])).toEqual([]);
    expect((await virsh("checkpoint-list", "--domain", domain.name, "--name")).trim()).toBe("");
  });
});
