// A failed ssh run as the user sees it: ssh's own failures (exit 255) by stderr, else the remote program's.
import {
  CommandError,
  type CommandFailure,
  CommandTimeoutError,
  DEBIAN_PACKAGES,
  ProgramNotFoundError,
  SshConnectionError,
  type SshFailureReason,
} from "./errors.js";
import { knownHostsName, REMOTE_TIMEOUT_EXIT_CODE, type SshTarget, sshDestination } from "./ssh-argv.js";

/** ssh exits with 255 when it fails itself; a remote program may too, so its message decides. */
const SSH_FAILURE_EXIT_CODE = 255;

/** Ordered: the first pattern that matches ssh's stderr (OpenSSH 9.2 wording) decides the reason. */
const CLASSIFIERS: readonly { pattern: RegExp; reason: SshFailureReason }[] = [
  {
    pattern: /REMOTE HOST IDENTIFICATION HAS CHANGED|^Host key for \S+ has changed/m,
    reason: "host-key-changed",
  },
  { pattern: /^No \S+ host key is known for |^Host key verification failed\./m, reason: "host-key-unknown" },
  { pattern: /Permission denied \(/, reason: "auth-refused" },
  { pattern: /^ssh: connect to host |^ssh: Could not resolve hostname /m, reason: "unreachable" },
  {
    pattern: /^kex_exchange_identification: |^Connection closed by |^Connection timed out during banner/m,
    reason: "handshake-failed",
  },
  { pattern: /: Bad configuration option: /, reason: "client-config" },
];

/** The run, from the user's point of view: the remote argv on `user@host`, and its time limit. */
interface SshRun {
  readonly target: SshTarget;
  readonly argv: readonly string[];
  readonly sshArgv: readonly string[];
  readonly timeoutMs: number;
}

/**
 * Turns the failure of the local ssh process into what happened on the host: an
 * {@link SshConnectionError} when ssh could not log in, a {@link ProgramNotFoundError} when the
 * remote program is missing, a {@link CommandTimeoutError} when the time limit stopped it
 * (remote `timeout` exit code 124: a program that exits 124 by itself reads as a timeout too),
 * a plain {@link CommandError} otherwise; each with the remote argv and `user@host`, and the
 * ssh failure as `cause`. A missing local ssh client, and anything that is not a CommandError,
 * is returned unchanged.
 */
export function translateSshFailure(error: unknown, run: SshRun): unknown {
  if (!(error instanceof CommandError) || error instanceof ProgramNotFoundError) return error;
  const failure: CommandFailure = {
    argv: run.argv,
    exitCode: error.exitCode,
    stdout: error.stdout,
    stderr: error.stderr,
    host: sshDestination(run.target),
    cause: error,
  };
  // The remote `timeout` stopped the program (exit 124), or the local limit stopped ssh.
  if (error instanceof CommandTimeoutError || error.exitCode === REMOTE_TIMEOUT_EXIT_CODE) {
    return new CommandTimeoutError(failure, run.timeoutMs);
  }
  const reason = sshFailureReason(error.exitCode, error.stderr);
  if (reason !== undefined) {
    return new SshConnectionError(sshMessage(reason, run.target, error.stderr), failure, reason, run.sshArgv);
  }
  const program = run.argv[0] ?? "";
  for (const candidate of [program, "timeout"]) {
    if (isRemoteProgramMissing(candidate, error.exitCode, error.stderr)) {
      return new ProgramNotFoundError(failure, candidate, DEBIAN_PACKAGES[basename(candidate)]);
    }
  }
  return new CommandError(CommandError.describe(failure), failure);
}

/** Why ssh failed, when the exit code and stderr say it was ssh itself. */
export function sshFailureReason(exitCode: number | undefined, stderr: string): SshFailureReason | undefined {
  if (exitCode !== SSH_FAILURE_EXIT_CODE) return undefined;
  return CLASSIFIERS.find(({ pattern }) => pattern.test(stderr))?.reason;
}

/**
 * `timeout` exits with 127 when it cannot find the program ("timeout: failed to run command
 * 'qemu-img': No such file or directory"), and `env` when it cannot find `timeout`. The message
 * may be in the remote session's locale, so match the program's name, not the wording.
 */
function isRemoteProgramMissing(program: string, exitCode: number | undefined, stderr: string): boolean {
  return (
    exitCode === 127 && program !== "" && (stderr.includes(`'${program}'`) || stderr.includes(`‘${program}’`))
  );
}

/** What failed, where, and what to do about it, for each reason. */
function sshMessage(reason: SshFailureReason, target: SshTarget, stderr: string): string {
  const destination = sshDestination(target);
  const said = sshSaid(stderr);
  const knownHosts = target.knownHostsFile ?? "~/.ssh/known_hosts";
  const portOption = target.port === undefined ? "" : ` -p ${target.port}`;
  const onPort = target.port === undefined ? "" : ` port ${target.port}`;
  switch (reason) {
    case "unreachable":
      return (
        `cannot reach ${target.host}${onPort} over ssh (${said}): check that the host is up, ` +
        "that sshd listens there, and the host and port in the libvirt URI"
      );
    case "handshake-failed":
      return (
        `${target.host}${onPort} accepted the connection but the ssh handshake failed (${said}): check that ` +
        "sshd, and not another service, listens there and that it accepts connections from this machine"
      );
    case "auth-refused":
      return (
        `ssh login as ${destination} was refused (${said}). virtsnap runs ssh non-interactively ` +
        "(BatchMode=yes), so it needs a key the host accepts: load it into ssh-agent or name it " +
        `with ?keyfile=/path/to/key in the URI, and add its public key to the authorized_keys of ${
          target.user ?? "that user"
        } on ${target.host}`
      );
    case "host-key-unknown":
      return (
        `the ssh host key of ${knownHostsName(target)} is not in ${knownHosts}, and virtsnap never ` +
        "accepts an unknown host key on its own. Add it once, after checking it: " +
        `\`ssh-keyscan${portOption} ${target.host} >> ${knownHosts}\`, then compare ` +
        `\`ssh-keygen -lf ${knownHosts}\` with \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` run on the host`
      );
    case "host-key-changed":
      return (
        `the ssh host key of ${knownHostsName(target)} has CHANGED since it was recorded in ${knownHosts}: ` +
        "either the host was reinstalled or someone is intercepting the connection. Only if you know why " +
        `it changed, remove the old key with \`ssh-keygen -R '${knownHostsName(target)}' -f ${knownHosts}\` ` +
        `and add the new one with \`ssh-keyscan${portOption} ${target.host} >> ${knownHosts}\``
      );
    case "client-config":
      return `ssh on this machine refused its configuration before connecting to ${destination} (${said}): fix ~/.ssh/config or the file it names`;
  }
}

/** ssh's last few lines, without the carriage returns it writes to stderr. */
function sshSaid(stderr: string): string {
  const lines = stderr
    .replaceAll("\r", "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^@+$/.test(line));
  return lines.slice(-2).join(" ").replace(/\.$/, "") || "no message";
}

function basename(program: string): string {
  return program.slice(program.lastIndexOf("/") + 1);
}
