// The golden-image example, installed from the packed tarball, under real `pulumi up`, a revert and `destroy`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { runner } from "../integration/rig/host.js";
import { createPoolVolume, createTestPool } from "../integration/rig/storage-pool.js";
import { newStack, stateResources, virtsnapCli } from "./harness.js";
import { installExample } from "./install.js";

async function snapshotNames(image: string): Promise<string[]> {
  return (await runner.run(["qemu-img", "snapshot", "-l", image])).stdout
    .split("\n")
    .filter((line) => /^\d+\s/.test(line))
    .map((line) => line.split(/\s+/)[1] as string);
}

describe("examples/golden-image", () => {
  it("snapshots a pool volume before a change, reverts the change, and deletes the snapshot on destroy", async () => {
    const pool = await createTestPool();
    const image = await createPoolVolume(pool, "debian-12.qcow2");
    await runner.run(["qemu-io", "-f", "qcow2", "-c", "write -P 0x11 0 4M", image]);
    const dir = mkdtempSync(join(tmpdir(), "virtsnap-golden-image-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    installExample("golden-image", dir, inject("tarball"));

    const test = await newStack(dir, {
      pool: pool.name,
      volume: "debian-12.qcow2",
      change: "2026-12-kernel",
    });
    onTestFinished(() => test.remove());
    const result = await test.stack.up();
    expect(result.outputs).toMatchObject({
      snapshotName: { value: "before-2026-12-kernel" },
      image: { value: image },
      snapshotId: { value: "1" },
      virtualSize: { value: 64 * 1024 * 1024 },
    });
    expect(await snapshotNames(image)).toEqual(["before-2026-12-kernel"]);

    const copy = join(dir, "before.qcow2");
    await runner.run(["qemu-img", "convert", "-O", "qcow2", image, copy]);
    await runner.run(["qemu-io", "-f", "qcow2", "-c", "write -P 0x22 0 8M", image]);
    const revert = await virtsnapCli(
      dir,
      "volume",
      "revert",
      `${pool.name}/debian-12.qcow2`,
      "before-2026-12-kernel",
      "--yes",
    );
    expect(revert).toMatchObject({ exitCode: 0 });
    expect((await runner.run(["qemu-img", "compare", image, copy])).stdout).toMatch(/Images are identical/);

    await test.stack.destroy();
    expect(await snapshotNames(image)).toEqual([]);
    expect(await stateResources(test.stack)).toEqual({});
  });
});
