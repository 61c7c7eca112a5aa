// Test domains and pools are named <prefix><pid>-<random>: what a killed test run left is swept, a live run's kept.

/** Whether the process whose pid is in `name` (after `prefix`) still runs. */
function ownerAlive(name: string, prefix: string): boolean {
  const pid = Number(name.slice(prefix.length).split("-")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes every object in a `virsh ... --name` listing that has `prefix` and no living owner. */
export async function sweepStale(
  listing: string,
  prefix: string,
  remove: (name: string) => Promise<void>,
): Promise<void> {
  const stale = listing
    .split("\n")
    .map((line) => line.trim())
    .filter((name) => name.startsWith(prefix) && !ownerAlive(name, prefix));
  await Promise.all(stale.map(remove));
}
