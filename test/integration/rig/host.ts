// The real host the integration tests use: one local runner, its clients, and a virsh shorthand on qemu:///system.
import { openHost } from "../../../provider/host/host.js";
import { LocalCommandRunner } from "../../../provider/host/local-command-runner.js";
import { toolsFor } from "../../../provider/tools/host-tools.js";

export const TEST_URI = process.env.VIRTSNAP_TEST_URI ?? "qemu:///system";
export const runner = new LocalCommandRunner();
/** virsh, qemu-img and file operations on the test host, through `runner`. */
export const tools = toolsFor(openHost(TEST_URI, { local: runner }));

/** Runs `virsh -c TEST_URI -q ARGS...` and returns stdout. */
export async function virsh(...args: string[]): Promise<string> {
  return (await runner.run(["virsh", "--connect", TEST_URI, "--quiet", ...args], { timeoutMs: 120_000 }))
    .stdout;
}

/** Names of the domain's snapshots as `virsh snapshot-list --name` prints them. */
export async function snapshotNames(domain: string): Promise<string[]> {
  return (await virsh("snapshot-list", "--domain", domain, "--name"))
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .sort();
}
