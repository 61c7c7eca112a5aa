// VolumeSnapshot under the real Pulumi CLI: snapshots of a file and a dir-pool volume, revert, and refusals.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runner, virsh } from "../integration/rig/host.js";
import {
  createPoolVolume,
  createTestPool,
  removeTestPool,
  type TestPool,
} from "../integration/rig/storage-pool.js";
import { createTestDomain, removeTestDomain } from "../integration/rig/test-domain.js";
import { newStack, previewOps, stateResources, type TestStack, virtsnapCli } from "./harness.js";

interface Spec {
  resource: string;
  args: Record<string, unknown>;
}

const MiB = 1024 * 1024;

/** What `qemu-img snapshot -l` prints for the image (read with -U: a test may have it attached). */
async function snapshotList(image: string): Promise<string> {
  return (await runner.run(["qemu-img", "snapshot", "-l", "-U", image])).stdout;
}

/** The snapshot names in `qemu-img snapshot -l` output (the second column of each row). */
async function snapshotNames(image: string): Promise<string[]> {
  return (await snapshotList(image))
    .split("\n")
    .filter((line) => /^\d+\s/.test(line))
    .map((line) => line.split(/\s+/)[1] as string);
}

async function qemuIo(image: string, command: string): Promise<void> {
  await runner.run(["qemu-io", "-f", "qcow2", "-c", command, image]);
}

async function compare(a: string, b: string): Promise<string> {
  try {
    return (await runner.run(["qemu-img", "compare", "-U", a, b])).stdout.trim();
  } catch (error) {
    return (error as { stdout?: string }).stdout?.trim() ?? String(error);
  }
}

async function checkClean(image: string): Promise<void> {
  const { stdout } = await runner.run(["qemu-img", "check", "--output=json", image]);
  expect(JSON.parse(stdout)).toMatchObject({ "check-errors": 0 });
  expect(JSON.parse(stdout)).not.toHaveProperty("corruptions");
  expect(JSON.parse(stdout)).not.toHaveProperty("leaks");
}

describe("VolumeSnapshot lifecycle under the Pulumi CLI", () => {
  let pool: TestPool;
  let file: string;
  let volume: string;
  let test: TestStack;
  /** The snapshots the program declares from the first test on. */
  let kept: Spec[] = [];
  const project = () => inject("lifecycleProject");

  async function declare(specs: Spec[]): Promise<void> {
    await test.stack.setConfig("volumeSnapshots", { value: JSON.stringify(specs) });
  }
  const outputs = async () => (await test.stack.outputs()).volumeSnapshots?.value;
  const stateNames = async () => Object.keys(await stateResources(test.stack)).sort();

  beforeAll(async () => {
    pool = await createTestPool({ removeAfterTest: false });
    // A plain image file (in the pool's directory, so that a test domain's QEMU can reach it, but
    // addressed by its path), and a volume libvirt made in the pool.
    file = join(pool.dir, "plain-file.qcow2");
    await runner.run(["qemu-img", "create", "-q", "-f", "qcow2", file, "64M"]);
    await qemuIo(file, "write -P 0x11 0 4M");
    volume = await createPoolVolume(pool, "golden.qcow2");
    await qemuIo(volume, "write -P 0x33 8M 4M");
    test = await newStack(project());
  });

  afterAll(async () => {
    await test?.stack.destroy().catch(() => undefined);
    await test?.remove();
    if (pool) await removeTestPool(pool.name);
  });

  it("creates snapshots of a file path and of a dir-pool volume with `up`", async () => {
    const golden = { pool: pool.name, name: "golden.qcow2" };
    kept = [
      { resource: "file-snap", args: { volume: { path: file } } },
      { resource: "pool-snap", args: { volume: golden, name: "before-change" } },
      // A second snapshot of the same image: Pulumi takes (and later deletes) both at once.
      { resource: "pool-snap-2", args: { volume: golden, name: "second-look" } },
    ];
    await declare(kept);
    expect(await previewOps(test.stack)).toEqual({
      "file-snap": "create",
      "pool-snap": "create",
      "pool-snap-2": "create",
    });

    const result = await test.stack.up();
    expect(result.summary.resourceChanges).toMatchObject({ create: 4 });
    expect(await snapshotList(file)).toMatch(/^1\s+file-snap\s+0 B\s/m);
    expect(await snapshotList(volume)).toMatch(/^[12]\s+before-change\s+0 B\s/m);
    expect((await snapshotNames(volume)).sort()).toEqual(["before-change", "second-look"]);
    expect(result.outputs.volumeSnapshots?.value).toEqual({
      "file-snap": {
        name: "file-snap",
        path: file,
        format: "qcow2",
        virtualSize: 64 * MiB,
        snapshotId: "1",
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        vmStateSize: 0,
        adopted: false,
      },
      "pool-snap": expect.objectContaining({ name: "before-change", path: volume, format: "qcow2" }),
      "pool-snap-2": expect.objectContaining({ name: "second-look", path: volume }),
    });
    // Copies of what the images hold now, to compare a revert with.
    for (const image of [file, volume]) {
      await runner.run(["qemu-img", "convert", "-O", "qcow2", image, `${image}.at-snapshot`]);
    }
  });

  it("stores the provider as a require of the installed package, not a copy of its code", async () => {
    const provider = String((await stateResources(test.stack))["file-snap"]?.__provider);
    expect(provider).toContain('require("virtsnap/dist/provider/resources/volume-snapshot/');
    expect(provider).not.toMatch(/execa|fast-xml-parser|zod/);
  });

  it("keeps the snapshots through `refresh`, with nothing left to change", async () => {
    const before = await outputs();
    await test.stack.refresh();
    expect(await stateNames()).toEqual(["file-snap", "pool-snap", "pool-snap-2"]);
    expect(await previewOps(test.stack)).toEqual({});
    expect(await outputs()).toEqual(before);
    expect(await snapshotNames(file)).toEqual(["file-snap"]);
    expect((await snapshotNames(volume)).sort()).toEqual(["before-change", "second-look"]);
  });

  it("brings back the exact bytes of a snapshot with `virtsnap volume revert`, only with --yes", async () => {
    await qemuIo(file, "write -P 0x22 1M 8M");
    await qemuIo(volume, "write -P 0x44 0 16M");
    expect(await compare(file, `${file}.at-snapshot`)).toMatch(/^Content mismatch at offset/);

    const refused = await virtsnapCli(project(), "volume", "revert", file, "file-snap");
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/discards everything written to the image since that snapshot was taken/);
    expect(await compare(file, `${file}.at-snapshot`)).toMatch(/^Content mismatch at offset/);

    const byPath = await virtsnapCli(project(), "volume", "revert", file, "file-snap", "--yes");
    expect(byPath).toMatchObject({ exitCode: 0, stderr: "" });
    expect(await compare(file, `${file}.at-snapshot`)).toBe("Images are identical.");

    const golden = `${pool.name}/golden.qcow2`;
    const byPool = await virtsnapCli(project(), "volume", "revert", golden, "before-change", "--yes");
    expect(byPool).toMatchObject({ exitCode: 0, stderr: "" });
    expect(await compare(volume, `${volume}.at-snapshot`)).toBe("Images are identical.");

    const listed = await virtsnapCli(project(), "volume", "list", golden);
    expect(listed.stdout).toMatch(/^\d\s+before-change\s+0 B\s+\d{4}-/m);
    expect(listed.stdout).toMatch(/^\d\s+second-look\s+0 B\s+\d{4}-/m);
  });

  it("previews a name change as a replace, and `up` replaces the snapshot", async () => {
    kept = kept.map((spec) =>
      spec.resource === "file-snap" ? { ...spec, args: { ...spec.args, name: "file-snap-v2" } } : spec,
    );
    await declare(kept);
    expect(await previewOps(test.stack)).toEqual({ "file-snap": expect.stringMatching(/replace/) });
    const result = await test.stack.up();
    expect(result.summary.resourceChanges).toMatchObject({ replace: 1 });
    expect(await snapshotNames(file)).toEqual(["file-snap-v2"]);
    expect((await outputs())["file-snap"]).toMatchObject({ name: "file-snap-v2", snapshotId: "2" });
  });

  it("refuses a snapshot of an image attached to a running domain, naming it, and leaves the image as it was", async () => {
    const domain = await createTestDomain({ disks: 1 });
    // The test domains have no ACPI, so their PCI bus takes no hotplug; the USB controller does.
    await virsh(
      "attach-disk",
      "--domain",
      domain.name,
      "--source",
      file,
      "--target",
      "sdb",
      "--subdriver",
      "qcow2",
      "--targetbus",
      "usb",
      "--live",
    );
    const before = await snapshotList(file);
    await declare([...kept, { resource: "attached", args: { volume: { path: file } } }]);
    try {
      const error = await test.stack.up().catch((caught: Error) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain(
        `Could not take snapshot "attached" of ${file}: ${file} on localhost is in use: running domain ` +
          `"${domain.name}" (disk sdb) has it open.`,
      );
      expect((error as Error).message).toMatch(/DomainSnapshot/);
      expect(await snapshotList(file)).toBe(before);
      expect(await stateNames()).not.toContain("attached");

      await removeTestDomain(domain.name);
      await checkClean(file);
      expect(await snapshotList(file)).toBe(before);
    } finally {
      await declare(kept);
    }
  });

  it("refuses a snapshot of an image that is the backing file of a running domain's disk", async () => {
    const domain = await createTestDomain({ disks: 1, running: false });
    const overlay = domain.disks[0]?.path as string;
    await runner.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", volume, overlay]);
    await virsh("start", "--domain", domain.name);
    const before = await snapshotList(volume);
    const golden = { pool: pool.name, name: "golden.qcow2" };
    await declare([...kept, { resource: "under-overlay", args: { volume: golden } }]);
    try {
      const error = await test.stack.up().catch((caught: Error) => caught);
      expect((error as Error).message).toContain(
        `${pool.name}/golden.qcow2 (${volume}) on localhost is in use: running domain "${domain.name}" ` +
          `(disk vda, whose image ${overlay} has it in its backing chain) has it open.`,
      );
      expect(await snapshotList(volume)).toBe(before);
      expect(await stateNames()).not.toContain("under-overlay");

      await removeTestDomain(domain.name);
      await checkClean(volume);
      expect(await snapshotList(volume)).toBe(before);
    } finally {
      await declare(kept);
    }
  });

  it("fails on a raw image, a missing path, pool or volume with clear messages, writing nothing", async () => {
    const raw = join(pool.dir, "plain.raw");
    await runner.run(["qemu-img", "create", "-q", "-f", "raw", raw, "8M"]);
    const rawBefore = (await runner.run(["sha256sum", raw])).stdout;
    await declare([
      ...kept,
      { resource: "raw", args: { volume: { path: raw } } },
      { resource: "no-file", args: { volume: { path: join(pool.dir, "missing.qcow2") } } },
      { resource: "no-pool", args: { volume: { pool: "virtsnap-no-such-pool", name: "golden.qcow2" } } },
      { resource: "no-volume", args: { volume: { pool: pool.name, name: "missing.qcow2" } } },
    ]);
    try {
      // Every create runs, so that each failure shows.
      const failed = await test.stack.up({ continueOnError: true }).catch((caught: Error) => caught);
      const message = (failed as Error).message;
      expect(message).toContain(
        `${raw} on localhost is a raw image: VolumeSnapshot needs qcow2 (internal snapshots live inside the qcow2 image)`,
      );
      expect(message).toContain(`${join(pool.dir, "missing.qcow2")} does not exist on localhost`);
      expect(message).toContain(
        "storage pool 'virtsnap-no-such-pool' does not exist on qemu:///system (pools there:",
      );
      expect(message).toContain(
        `storage pool '${pool.name}' on qemu:///system has no volume 'missing.qcow2' (its volumes:`,
      );
      expect((await runner.run(["sha256sum", raw])).stdout).toBe(rawBefore);
      expect(await stateNames()).toEqual(["file-snap", "pool-snap", "pool-snap-2"]);
    } finally {
      await declare(kept);
    }
  });

  it("deletes the snapshots from both images on `destroy`", async () => {
    await test.stack.destroy();
    expect(await stateResources(test.stack)).toEqual({});
    expect(await snapshotNames(file)).toEqual([]);
    expect(await snapshotNames(volume)).toEqual([]);
    await checkClean(file);
    await checkClean(volume);
  });
});

describe("VolumeSnapshot check failures under the Pulumi CLI", () => {
  it("names the property and the reason for hostile volumes and names, and runs nothing", async () => {
    // Pulumi stops a program at its first check failure: one resource per `up`. It prints the
    // value of a nested property as {<nil>}, so only the property and the reason are matched.
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { volume: { path: "images/golden.qcow2" } },
        /property volume\.path value \{[^}]*\} has a problem: must be an absolute path/,
      ],
      [
        { volume: { path: "/var/lib/libvirt/images/../../etc/passwd" } },
        /property volume\.path value \{[^}]*\} has a problem: must not contain \. or \.\. segments/,
      ],
      [
        { volume: { path: "/var/lib/x\n.qcow2" } },
        /property volume\.path value \{[^}]*\} has a problem: contains control characters or newlines/,
      ],
      [
        { volume: { pool: "$(reboot)", name: "golden.qcow2" } },
        /property volume\.pool value \{[^}]*\} has a problem: is not a valid storage pool name/,
      ],
      [
        { volume: { pool: "default", name: "../golden.qcow2" } },
        /property volume\.name value \{[^}]*\} has a problem: is not a valid volume name/,
      ],
      [
        { volume: { path: "/var/lib/x.qcow2", pool: "default" } },
        /property volume\.pool value \{[^}]*\} has a problem: is not a known property/,
      ],
      [
        { volume: { path: "/var/lib/x.qcow2" }, name: "--delete" },
        /property name value \{--delete\} has a problem: is not a valid snapshot name/,
      ],
    ];
    const test = await newStack(inject("lifecycleProject"));
    try {
      for (const [args, expected] of cases) {
        await test.stack.setConfig("volumeSnapshots", {
          value: JSON.stringify([{ resource: "hostile", args }]),
        });
        const error = await test.stack.up().catch((caught: Error) => caught);
        expect(error, JSON.stringify(args)).toBeInstanceOf(Error);
        expect((error as Error).message, JSON.stringify(args)).toMatch(expected);
        expect(await stateResources(test.stack)).toEqual({});
      }
    } finally {
      await test.remove();
    }
  });
});
