// CommandRunner for a remote host: each argv runs over the OpenSSH client, shell-quoted, in the C locale.
import {
  type CommandResult,
  type CommandRunner,
  QUERY_TIMEOUT_MS,
  type RunOptions,
} from "./command-runner.js";
import { parseLibvirtUri } from "./libvirt-uri.js";
import { LocalCommandRunner } from "./local-command-runner.js";
import {
  SSH_TIMEOUT_GRACE_MS,
  type SshTarget,
  sshArgv,
  sshDestination,
  sshTargetFromUri,
} from "./ssh-argv.js";
import { translateSshFailure } from "./ssh-errors.js";

/**
 * Runs commands on the host of a `qemu+ssh://` URI through the `ssh` client on this machine
 * (which honours the user's agent, ~/.ssh/config and known_hosts). Results and errors name the
 * remote argv and `user@host`; the ssh command line is in `SshConnectionError.sshArgv` and in
 * the `cause` of every other error.
 */
export class SshCommandRunner implements CommandRunner {
  readonly host: string;
  readonly target: SshTarget;
  private readonly local: CommandRunner;

  /** `local` runs the ssh client itself; tests hand in a RecordingCommandRunner. */
  constructor(target: SshTarget, local: CommandRunner = new LocalCommandRunner()) {
    this.target = target;
    this.host = sshDestination(target);
    this.local = local;
  }

  /** The runner for the host of a +ssh libvirt URI (`qemu+ssh://root@host:2222/system?keyfile=...`). */
  static fromUri(uri: string, local?: CommandRunner): SshCommandRunner {
    return new SshCommandRunner(sshTargetFromUri(parseLibvirtUri(uri)), local);
  }

  /**
   * `timeoutMs` (default {@link QUERY_TIMEOUT_MS}) is enforced on the host by coreutils
   * `timeout`; the local ssh process gets {@link SSH_TIMEOUT_GRACE_MS} more.
   */
  async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const remoteArgv = [...argv];
    const timeoutMs = options.timeoutMs ?? QUERY_TIMEOUT_MS;
    const fullArgv = sshArgv(this.target, remoteArgv, timeoutMs);
    try {
      const result = await this.local.run(fullArgv, {
        ...options,
        timeoutMs: timeoutMs + SSH_TIMEOUT_GRACE_MS,
      });
      return { argv: remoteArgv, exitCode: 0, stdout: result.stdout, stderr: result.stderr };
    } catch (error) {
      throw translateSshFailure(error, {
        target: this.target,
        argv: remoteArgv,
        sshArgv: fullArgv,
        timeoutMs,
      });
    }
  }
}
