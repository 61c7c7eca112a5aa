// Reference copies of a running domain's disks, and byte comparisons against them.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { runner, virsh } from "./host.js";
import type { TestDomain } from "./test-domain.js";

/**
 * Copies each live disk to `<dir>/<target>.qcow2` while the domain is paused: only then is a
 * byte comparison exact (QEMU flushes image metadata on `virsh suspend`, docs/design.md).
 */
export async function copyLiveDisks(domain: TestDomain, dir: string): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  await virsh("suspend", "--domain", domain.name);
  try {
    const copies: Record<string, string> = {};
    for (const disk of domain.disks) {
      const live = (await virsh("domblklist", "--domain", domain.name)).match(
        new RegExp(`${disk.target}\\s+(\\S+)`),
      )?.[1];
      const copy = join(dir, `${disk.target}.qcow2`);
      await runner.run(["qemu-img", "convert", "-U", "-O", "qcow2", live ?? disk.path, copy], {
        timeoutMs: 600_000,
      });
      copies[disk.target] = copy;
    }
    return copies;
  } finally {
    await virsh("resume", "--domain", domain.name);
  }
}

/** `qemu-img compare` of two images: "identical" or qemu-img's words for the first difference. */
export async function compareImages(a: string, b: string): Promise<string> {
  try {
    await runner.run(["qemu-img", "compare", "-U", a, b], { timeoutMs: 600_000 });
    return "identical";
  } catch (error) {
    return (error as { stdout?: string; message: string }).stdout?.trim() || (error as Error).message;
  }
}
