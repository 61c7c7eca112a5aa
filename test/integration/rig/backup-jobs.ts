// Catching a backup job while it runs, so that tests can abort it or pull the domain from under it.
import { setTimeout as sleep } from "node:timers/promises";
import { virsh } from "./host.js";

/**
 * Waits until the domain runs a backup job, then slows it to `bytesPerSecond` through QEMU's
 * block-job-set-speed (libvirt 9.0 has no backup bandwidth setting), so it stays running.
 */
export async function catchBackupJob(
  domain: string,
  bytesPerSecond = 64 * 1024,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const jobs = await virsh(
      "qemu-monitor-command",
      "--domain",
      domain,
      '{"execute":"query-block-jobs"}',
    ).catch(() => "");
    const ids = jobs.match(/backup-[a-z0-9-]+/g) ?? [];
    if (ids.length > 0) {
      for (const device of ids) {
        await virsh(
          "qemu-monitor-command",
          "--domain",
          domain,
          JSON.stringify({ execute: "block-job-set-speed", arguments: { device, speed: bytesPerSecond } }),
        ).catch(() => undefined);
      }
      return;
    }
    await sleep(10);
  }
  throw new Error(`no backup job of ${domain} started within ${timeoutMs / 1000} s`);
}
