// Writes to an image that wait out another qemu-img holding it, but never a running domain.
import { setTimeout as sleep } from "node:timers/promises";
import type { HostTools } from "../tools/host-tools.js";
import { ImageLockedError } from "../tools/qemu-img/errors.js";
import { assertNotInUse } from "./volume-users.js";

/**
 * How long a write waits for the image's lock. Another qemu-img holds it for well under a
 * second: Pulumi creates and deletes independent resources in parallel, so two VolumeSnapshots
 * of one image run `qemu-img snapshot` at the same time, and QEMU's lock lets only one in.
 */
export const LOCK_WAIT_MS = 60_000;

/**
 * Runs a qemu-img write, again while it fails with ImageLockedError, until `options.lockWaitMs`
 * (default {@link LOCK_WAIT_MS}) has passed.
 * Before each retry the in-use check runs again: when a domain has taken the image meanwhile,
 * that VolumeInUseError (naming it) ends the wait. The last ImageLockedError is thrown when the
 * lock is still held at the end (a QEMU that libvirt does not know of, for example).
 */
export async function retryWhileLocked<T>(
  tools: HostTools,
  volume: { readonly label: string; readonly path: string },
  write: () => Promise<T>,
  options: { lockWaitMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.lockWaitMs ?? LOCK_WAIT_MS);
  for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2_000)) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof ImageLockedError) || Date.now() + delayMs > deadline) throw error;
      await assertNotInUse(tools, volume);
      await sleep(delayMs);
    }
  }
}
