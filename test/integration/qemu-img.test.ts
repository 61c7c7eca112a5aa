// The qemu-img tool layer against the real qemu-img (and a real running domain for its locks).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  ImageLockedError,
  ImageSnapshotExistsError,
  ImageSnapshotNotFoundError,
} from "../../provider/tools/qemu-img/errors.js";
import { runner, tools } from "./rig/host.js";
import { createTestDomain } from "./rig/test-domain.js";

const MiB = 1024 * 1024;
const QCOW2 = "qcow2";

/** A scratch directory removed when the test finishes. */
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "virtsnap-qemu-img-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a byte pattern into an image no one has open, as a guest would see it (qemu-io). */
async function write(image: string, pattern: number, offset: number, length: number): Promise<void> {
  await runner.run(["qemu-io", "-f", QCOW2, "-c", `write -P ${pattern} ${offset} ${length}`, image]);
}

describe("qemu-img internal snapshots", () => {
  it("creates, lists, applies and deletes a snapshot, restoring the data it holds", async () => {
    const dir = await scratch();
    const image = join(dir, "disk.qcow2");
    const copyAtSnapshot = join(dir, "copy.qcow2");
    await tools.qemuImg.create(image, { sizeBytes: 64 * MiB });
    await write(image, 0x11, 0, MiB);
    await tools.qemuImg.convert(image, copyAtSnapshot);

    const started = Date.now();
    const created = await tools.qemuImg.createSnapshot(image, "before-upgrade");
    expect(created).toMatchObject({ id: "1", name: "before-upgrade", vmStateSize: 0 });
    expect(Math.abs(Date.parse(created.createdAt) - started)).toBeLessThan(60_000);
    expect(await tools.qemuImg.snapshots(image)).toEqual([created]);
    await expect(tools.qemuImg.createSnapshot(image, "before-upgrade")).rejects.toBeInstanceOf(
      ImageSnapshotExistsError,
    );

    await write(image, 0x22, 0, MiB);
    expect(await tools.qemuImg.compare(image, copyAtSnapshot)).toEqual({
      identical: false,
      difference: "content",
      offset: 0,
    });
    await tools.qemuImg.applySnapshot(image, "before-upgrade");
    expect(await tools.qemuImg.compare(image, copyAtSnapshot)).toEqual({
      identical: true,
      sizesDiffer: false,
    });

    await tools.qemuImg.deleteSnapshot(image, "before-upgrade");
    expect(await tools.qemuImg.snapshots(image)).toEqual([]);
    await expect(tools.qemuImg.deleteSnapshot(image, "before-upgrade")).rejects.toBeInstanceOf(
      ImageSnapshotNotFoundError,
    );
    await expect(tools.qemuImg.applySnapshot(image, "before-upgrade")).rejects.toBeInstanceOf(
      ImageSnapshotNotFoundError,
    );
    expect((await tools.qemuImg.check(image)).clean).toBe(true);
  });

  it("applies the snapshot named '1', not the snapshot whose id is 1", async () => {
    const dir = await scratch();
    const image = join(dir, "disk.qcow2");
    const copyAtOne = join(dir, "copy.qcow2");
    await tools.qemuImg.create(image, { sizeBytes: 16 * MiB });
    await write(image, 0x11, 0, MiB);
    await tools.qemuImg.createSnapshot(image, "x");
    await write(image, 0x22, 0, MiB);
    await tools.qemuImg.convert(image, copyAtOne);
    const one = await tools.qemuImg.createSnapshot(image, "1");
    expect(one.id).toBe("2");
    await write(image, 0x33, 0, MiB);

    await tools.qemuImg.applySnapshot(image, "1");
    expect((await tools.qemuImg.compare(image, copyAtOne)).identical).toBe(true);
  });
});

describe("qemu-img backing files", () => {
  it("rebases an overlay onto a backing file by a relative name, and info shows the new chain", async () => {
    const dir = await scratch();
    const base = join(dir, "base.qcow2");
    const overlay = join(dir, "overlay.qcow2");
    await tools.qemuImg.create(base, { sizeBytes: 64 * MiB });
    await tools.qemuImg.create(overlay, { sizeBytes: 64 * MiB });
    expect(await tools.qemuImg.info(overlay)).not.toHaveProperty("backingFilename");

    await tools.qemuImg.rebaseUnsafe(overlay, { file: "base.qcow2", format: QCOW2 });

    expect(await tools.qemuImg.info(overlay)).toMatchObject({
      backingFilename: "base.qcow2",
      fullBackingFilename: base,
      backingFilenameFormat: QCOW2,
    });
    expect((await tools.qemuImg.backingChain(overlay)).map((image) => image.filename)).toEqual([
      overlay,
      base,
    ]);
  });

  it("flattens a chain into a standalone image that compares identical, and sees a later change", async () => {
    const dir = await scratch();
    const base = join(dir, "base.qcow2");
    const top = join(dir, "top.qcow2");
    const flat = join(dir, "flat.qcow2");
    await tools.qemuImg.create(base, { sizeBytes: 64 * MiB });
    await write(base, 0x11, 0, 4 * MiB);
    await tools.qemuImg.create(top, { backing: { file: base, format: QCOW2 } });
    await write(top, 0x22, 2 * MiB, 4 * MiB);

    const progress: number[] = [];
    await tools.qemuImg.convert(top, flat, { onProgress: (percent) => progress.push(percent) });

    expect(progress.at(-1)).toBe(100);
    expect(await tools.qemuImg.info(flat)).not.toHaveProperty("backingFilename");
    expect(await tools.qemuImg.compare(top, flat, { firstFormat: QCOW2, secondFormat: QCOW2 })).toEqual({
      identical: true,
      sizesDiffer: false,
    });

    await write(flat, 0x33, 3 * MiB, 512);
    expect(await tools.qemuImg.compare(top, flat)).toEqual({
      identical: false,
      difference: "content",
      offset: 3 * MiB,
    });
  });
});

describe("qemu-img and a running domain", () => {
  it("is refused the disk of a running domain, and reads it with shareLocked", async () => {
    const domain = await createTestDomain({ disks: 1 });
    const disk = domain.disks[0]?.path ?? "";

    const error = await tools.qemuImg.info(disk).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageLockedError);
    expect(error).toMatchObject({ path: disk });
    await expect(tools.qemuImg.createSnapshot(disk, "s")).rejects.toBeInstanceOf(ImageLockedError);

    expect(await tools.qemuImg.info(disk, { shareLocked: true })).toMatchObject({
      filename: disk,
      format: QCOW2,
      virtualSize: 64 * MiB,
    });
  });
});
