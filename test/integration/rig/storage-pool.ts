// Throwaway libvirt `dir` storage pools for the volume tests: defined, started, always removed.
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { virsh } from "./host.js";
import { sweepStale } from "./stale-objects.js";

export const TEST_POOL_PREFIX = "virtsnap-test-pool-";
const IMAGE_ROOT = "/var/lib/libvirt/images";

export interface TestPool {
  readonly name: string;
  /** The pool's target directory, under libvirt's image root (QEMU can reach it). */
  readonly dir: string;
}

export interface TestPoolOptions {
  /** Remove the pool when the current test finishes. Default true; else call removeTestPool. */
  readonly removeAfterTest?: boolean;
}

let swept = false;

/**
 * Defines and starts a `dir` pool with a unique name (`virsh pool-define-as NAME dir --target
 * DIR`, `pool-start`), removed with its directory when the current test finishes. The first
 * call also removes pools that killed test runs left behind.
 */
export async function createTestPool(options: TestPoolOptions = {}): Promise<TestPool> {
  if (!swept) {
    swept = true;
    await sweepStale(await virsh("pool-list", "--all", "--name"), TEST_POOL_PREFIX, removeTestPool);
  }
  // The pid tells the sweep whether the run that made a pool is still alive.
  const name = `${TEST_POOL_PREFIX}${process.pid}-${randomBytes(3).toString("hex")}`;
  const dir = join(IMAGE_ROOT, name);
  if (options.removeAfterTest ?? true) onTestFinished(() => removeTestPool(name));
  await mkdir(dir, { recursive: true });
  await virsh("pool-define-as", "--name", name, "--type", "dir", "--target", dir);
  await virsh("pool-start", "--pool", name);
  return { name, dir };
}

/** Creates a volume in the pool (`vol-create-as`) and returns its path. */
export async function createPoolVolume(
  pool: TestPool,
  name: string,
  options: { format?: "qcow2" | "raw"; size?: string } = {},
): Promise<string> {
  await virsh(
    "vol-create-as",
    "--pool",
    pool.name,
    "--name",
    name,
    "--capacity",
    options.size ?? "64M",
    "--format",
    options.format ?? "qcow2",
  );
  return (await virsh("vol-path", "--pool", pool.name, name)).trim();
}

/** Stops and undefines the pool and deletes its directory; a pool already gone is fine. */
export async function removeTestPool(name: string): Promise<void> {
  await virsh("pool-destroy", "--pool", name).catch(() => undefined);
  await virsh("pool-undefine", "--pool", name).catch(() => undefined);
  await rm(join(IMAGE_ROOT, name), { recursive: true, force: true });
}
