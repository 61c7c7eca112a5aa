// Which CommandRunner reaches the machine a libvirt URI names.
import type { CommandRunner } from "./command-runner.js";
import { commandTransport, parseLibvirtUri } from "./libvirt-uri.js";
import { LocalCommandRunner } from "./local-command-runner.js";
import { sshTargetFromUri } from "./ssh-argv.js";
import { SshCommandRunner } from "./ssh-command-runner.js";

/**
 * The runner for virsh. virsh itself connects to remote hosts through the URI
 * (`qemu+ssh://...`), so it always runs on this machine.
 */
export function virshRunner(): CommandRunner {
  return new LocalCommandRunner();
}

/**
 * The runner for every other command (qemu-img, file operations) on the host the URI names:
 * this machine for a local URI (`qemu:///system`), ssh to the same host and user for a +ssh URI.
 * Throws LibvirtUriError for a malformed URI and UnsupportedTransportError for a transport
 * (tls, tcp, ext) that only carries libvirt's protocol.
 */
export function hostRunner(uri: string): CommandRunner {
  const parsed = parseLibvirtUri(uri);
  if (commandTransport(parsed) === "local") return new LocalCommandRunner();
  return new SshCommandRunner(sshTargetFromUri(parsed));
}
