// Errors of commands run on a host: one class with the run's facts as public fields, and why it failed.
import { VirtsnapError, type VirtsnapErrorCode } from "../errors.js";

/** Fields every command failure carries, so callers and users can see exactly what ran. */
export interface CommandFailure {
  readonly argv: readonly string[];
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly host: string;
  readonly cause?: unknown;
}

/**
 * A command that ran and failed (non-zero exit, killed, timed out). Subclasses say why; a plain
 * CommandError (code `command-failed`) is one no classifier has recognised yet.
 */
export class CommandError extends VirtsnapError {
  readonly code: VirtsnapErrorCode = "command-failed";
  readonly argv: readonly string[];
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly host: string;

  constructor(message: string, failure: CommandFailure) {
    super(message, { cause: failure.cause });
    this.argv = failure.argv;
    this.exitCode = failure.exitCode;
    this.stdout = failure.stdout;
    this.stderr = failure.stderr;
    this.host = failure.host;
  }

  /** True for a failure no classifier has recognised yet (not a timeout, a missing program, ...). */
  get unclassified(): boolean {
    return this.code === "command-failed";
  }

  /** This run's facts, with this error as the cause: what a classifier's more specific error carries. */
  failureCausedBy(): CommandFailure {
    return {
      argv: this.argv,
      exitCode: this.exitCode,
      stdout: this.stdout,
      stderr: this.stderr,
      host: this.host,
      cause: this,
    };
  }

  /** A one-line message for a failure: the command, the host, the exit and the last output lines. */
  static describe(failure: CommandFailure): string {
    const detail = lastLines(failure.stderr) || lastLines(failure.stdout) || "no output";
    const code = failure.exitCode === undefined ? "was killed" : `exited with code ${failure.exitCode}`;
    return `\`${failure.argv.join(" ")}\` on ${failure.host} ${code}: ${detail}`;
  }
}

/** The program does not exist on the host. */
export class ProgramNotFoundError extends CommandError {
  override readonly code = "program-not-found";
  readonly program: string;
  readonly debianPackage: string | undefined;

  constructor(failure: CommandFailure, program: string, debianPackage: string | undefined) {
    const install = debianPackage
      ? `install it with \`apt-get install ${debianPackage}\` (Debian/Ubuntu)`
      : "install it and make sure it is on PATH";
    super(`${program} is not installed on ${failure.host}: ${install}`, failure);
    this.program = program;
    this.debianPackage = debianPackage;
  }
}

/** The run reached its time limit and was killed. */
export class CommandTimeoutError extends CommandError {
  override readonly code = "command-timeout";
  readonly timeoutMs: number;

  constructor(failure: CommandFailure, timeoutMs: number) {
    super(
      `\`${failure.argv.join(" ")}\` on ${failure.host} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`,
      failure,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** Why ssh could not run a command on the host (nothing ran there), from ssh's own messages. */
export type SshFailureReason =
  | "unreachable"
  | "handshake-failed"
  | "auth-refused"
  | "host-key-unknown"
  | "host-key-changed"
  | "client-config";

/**
 * ssh itself failed (exit code 255 with ssh's own message): the remote command did not run.
 * `argv` is the remote command, as elsewhere; `sshArgv` is the full ssh command line.
 */
export class SshConnectionError extends CommandError {
  override readonly code = "ssh-connection-failed";
  readonly reason: SshFailureReason;
  readonly sshArgv: readonly string[];

  constructor(
    message: string,
    failure: CommandFailure,
    reason: SshFailureReason,
    sshArgv: readonly string[],
  ) {
    super(message, failure);
    this.reason = reason;
    this.sshArgv = sshArgv;
  }
}

/** Which Debian package ships each program we run, for the "not installed" message. */
export const DEBIAN_PACKAGES: Readonly<Record<string, string>> = {
  virsh: "libvirt-clients",
  "qemu-img": "qemu-utils",
  "qemu-io": "qemu-utils",
  "qemu-system-x86_64": "qemu-system-x86",
  ssh: "openssh-client",
  // File operations on the target host (host-files.ts): coreutils and findutils are Essential
  // packages on Debian, but a minimal or non-Debian host may still lack GNU find.
  cat: "coreutils",
  cp: "coreutils",
  dd: "coreutils",
  realpath: "coreutils",
  df: "coreutils",
  env: "coreutils",
  mkdir: "coreutils",
  mv: "coreutils",
  rm: "coreutils",
  rmdir: "coreutils",
  stat: "coreutils",
  sync: "coreutils",
  timeout: "coreutils",
  find: "findutils",
};

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-3).join(" | ");
}
