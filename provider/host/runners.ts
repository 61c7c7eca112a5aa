// Which CommandRunner reaches the machine a libvirt URI names.
import type { CommandRunner } from "./command-runner.js";
import { LocalCommandRunner } from "./local-command-runner.js";

/**
 * The runner for virsh. virsh itself connects to remote hosts through the URI
 * (`qemu+ssh://...`), so it always runs on this machine.
 */
export function virshRunner(): CommandRunner {
  return new LocalCommandRunner();
}
