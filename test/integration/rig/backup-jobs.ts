// Catching a backup job while it runs, so that tests can abort it or pull the domain from under it.
import { setTimeout as sleep } from "node:timers/promises";
import { virsh } from "./host.js";

interface BlockJob {
  device: string;
  type: string;
  status: string;
  speed: number;
}

async function blockJobs(domain: string): Promise<BlockJob[]> {
  const answer = await virsh(
    "qemu-monitor-command",
    "--domain",
    domain,
    '{"execute":"query-block-jobs"}',
  ).catch(() => "");
  return answer === "" ? [] : (JSON.parse(answer) as { return: BlockJob[] }).return;
}

/**
 * Waits until the domain runs a backup job, then slows it to `bytesPerSecond` through QEMU's
 * block-job-set-speed (libvirt 9.0 has no backup bandwidth setting), so it stays running until
 * the test acts. Throws if the backup finished before it could be slowed: the test would then
 * exercise nothing.
 */
export async function catchBackupJob(
  domain: string,
  bytesPerSecond = 64 * 1024,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const running = (await blockJobs(domain)).filter(
      (job) => job.type === "backup" && job.status === "running",
    );
    for (const job of running) {
      await virsh(
        "qemu-monitor-command",
        "--domain",
        domain,
        JSON.stringify({
          execute: "block-job-set-speed",
          arguments: { device: job.device, speed: bytesPerSecond },
        }),
      ).catch(() => undefined);
    }
    if (running.length > 0) {
      const slowed = (await blockJobs(domain)).filter(
        (job) => job.status === "running" && job.speed === bytesPerSecond,
      );
      if (slowed.length > 0) return;
      throw new Error(
        `the backup job of ${domain} ended before the test could slow it down: give it more data to copy`,
      );
    }
    await sleep(5);
  }
  throw new Error(`no backup job of ${domain} started within ${timeoutMs / 1000} s`);
}
