// The qemu-img tool layer against the real qemu-img (and a real running domain for its locks).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  applyImageSnapshot,
  checkImage,
  compareImages,
  convertImage,
  createImage,
  createImageSnapshot,
  deleteImageSnapshot,
  imageBackingChain,
  imageInfo,
  listImageSnapshots,
  rebaseUnsafe,
} from "../../provider/tools/qemu-img/commands.js";
import {
  ImageLockedError,
  ImageSnapshotExistsError,
  ImageSnapshotNotFoundError,
} from "../../provider/tools/qemu-img/errors.js";
import { runner } from "./rig/host.js";
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
    await createImage(runner, image, { sizeBytes: 64 * MiB });
    await write(image, 0x11, 0, MiB);
    await convertImage(runner, image, copyAtSnapshot);

    const started = Date.now();
    const created = await createImageSnapshot(runner, image, "before-upgrade");
    expect(created).toMatchObject({ id: "1", name: "before-upgrade", vmStateSize: 0 });
    expect(Math.abs(Date.parse(created.createdAt) - started)).toBeLessThan(60_000);
    expect(await listImageSnapshots(runner, image)).toEqual([created]);
    await expect(createImageSnapshot(runner, image, "before-upgrade")).rejects.toBeInstanceOf(
      ImageSnapshotExistsError,
    );

    await write(image, 0x22, 0, MiB);
    expect(await compareImages(runner, image, copyAtSnapshot)).toEqual({
      identical: false,
      difference: "content",
      offset: 0,
    });
    await applyImageSnapshot(runner, image, "before-upgrade");
    expect(await compareImages(runner, image, copyAtSnapshot)).toEqual({
      identical: true,
      sizesDiffer: false,
    });

    await deleteImageSnapshot(runner, image, "before-upgrade");
    expect(await listImageSnapshots(runner, image)).toEqual([]);
    await expect(deleteImageSnapshot(runner, image, "before-upgrade")).rejects.toBeInstanceOf(
      ImageSnapshotNotFoundError,
    );
    await expect(applyImageSnapshot(runner, image, "before-upgrade")).rejects.toBeInstanceOf(
      ImageSnapshotNotFoundError,
    );
    expect((await checkImage(runner, image)).clean).toBe(true);
  });

  it("applies the snapshot named '1', not the snapshot whose id is 1", async () => {
    const dir = await scratch();
    const image = join(dir, "disk.qcow2");
    const copyAtOne = join(dir, "copy.qcow2");
    await createImage(runner, image, { sizeBytes: 16 * MiB });
    await write(image, 0x11, 0, MiB);
    await createImageSnapshot(runner, image, "x");
    await write(image, 0x22, 0, MiB);
    await convertImage(runner, image, copyAtOne);
    const one = await createImageSnapshot(runner, image, "1");
    expect(one.id).toBe("2");
    await write(image, 0x33, 0, MiB);

    await applyImageSnapshot(runner, image, "1");
    expect((await compareImages(runner, image, copyAtOne)).identical).toBe(true);
  });
});

describe("qemu-img backing files", () => {
  it("rebases an overlay onto a backing file by a relative name, and info shows the new chain", async () => {
    const dir = await scratch();
    const base = join(dir, "base.qcow2");
    const overlay = join(dir, "overlay.qcow2");
    await createImage(runner, base, { sizeBytes: 64 * MiB });
    await createImage(runner, overlay, { sizeBytes: 64 * MiB });
    expect(await imageInfo(runner, overlay)).not.toHaveProperty("backingFilename");

    await rebaseUnsafe(runner, overlay, { file: "base.qcow2", format: QCOW2 });

    expect(await imageInfo(runner, overlay)).toMatchObject({
      backingFilename: "base.qcow2",
      fullBackingFilename: base,
      backingFilenameFormat: QCOW2,
    });
    expect((await imageBackingChain(runner, overlay)).map((image) => image.filename)).toEqual([
      overlay,
      base,
    ]);
  });

  it("flattens a chain into a standalone image that compares identical, and sees a later change", async () => {
    const dir = await scratch();
    const base = join(dir, "base.qcow2");
    const top = join(dir, "top.qcow2");
    const flat = join(dir, "flat.qcow2");
    await createImage(runner, base, { sizeBytes: 64 * MiB });
    await write(base, 0x11, 0, 4 * MiB);
    await createImage(runner, top, { backing: { file: base, format: QCOW2 } });
    await write(top, 0x22, 2 * MiB, 4 * MiB);

    const progress: number[] = [];
    await convertImage(runner, top, flat, { onProgress: (percent) => progress.push(percent) });

    expect(progress.at(-1)).toBe(100);
    expect(await imageInfo(runner, flat)).not.toHaveProperty("backingFilename");
    expect(await compareImages(runner, top, flat, { firstFormat: QCOW2, secondFormat: QCOW2 })).toEqual({
      identical: true,
      sizesDiffer: false,
    });

    await write(flat, 0x33, 3 * MiB, 512);
    expect(await compareImages(runner, top, flat)).toEqual({
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

    const error = await imageInfo(runner, disk).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageLockedError);
    expect(error).toMatchObject({ path: disk });
    await expect(createImageSnapshot(runner, disk, "s")).rejects.toBeInstanceOf(ImageLockedError);

    expect(await imageInfo(runner, disk, { shareLocked: true })).toMatchObject({
      filename: disk,
      format: QCOW2,
      virtualSize: 64 * MiB,
    });
  });
});
