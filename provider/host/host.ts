// One libvirt URI, resolved once: the host it names, the runners that reach it, and where work reports.
import type { CommandResult, CommandRunner } from "./command-runner.js";
import {
  commandTransport,
  type LibvirtUri,
  LibvirtUriError,
  parseLibvirtUri,
  SSH_TRANSPORTS,
  UnsupportedTransportError,
} from "./libvirt-uri.js";
import { LocalCommandRunner } from "./local-command-runner.js";
import { type Log, silentLog } from "./log.js";
import { sshTargetFromUri } from "./ssh-argv.js";
import { SshCommandRunner } from "./ssh-command-runner.js";

/** libvirt's own default when nothing else names a URI (virsh's, for root). */
const FALLBACK_URI = "qemu:///system";

/**
 * The one rule for which libvirt URI to use: the one given (a resource's `uri`, `--uri`), else
 * the stack config `virtsnap:uri` (Pulumi programs only), else `LIBVIRT_DEFAULT_URI`, else
 * `qemu:///system`. An empty string counts as not given.
 */
export function chooseUri(choices: { given?: string; stackConfig?: string; environment?: string }): string {
  for (const candidate of [choices.given, choices.stackConfig, choices.environment]) {
    if (candidate !== undefined && candidate !== "") return candidate;
  }
  return FALLBACK_URI;
}

/** A libvirt host as every layer above sees it. */
export interface Host {
  /** The libvirt URI, as given: virsh connects through it. */
  readonly uri: string;
  /** The host for messages: `localhost`, `user@host` (ssh), or the URI's host name. */
  readonly name: string;
  /** Runs virsh, on this machine: virsh reaches a remote daemon through the URI itself. */
  readonly virshRunner: CommandRunner;
  /**
   * Runs qemu-img and file operations on the host the URI names: this machine for a local URI,
   * ssh to the same host and user for a `+ssh` URI. For a URI whose transport carries only
   * libvirt's protocol (tls, tcp, ext) every run fails with UnsupportedTransportError.
   */
  readonly shell: CommandRunner;
  /** Where operations report steps, progress and (debug) every command they run. */
  readonly log: Log;
}

export interface OpenHostOptions {
  /** Steps, progress and debug lines; default: dropped. */
  readonly log?: Log;
  /** The runner for this machine (default: a LocalCommandRunner that logs to `log`); tests pass a fake. */
  readonly local?: CommandRunner;
}

/**
 * The Host a libvirt URI names. Throws LibvirtUriError for a URI virtsnap cannot take apart;
 * one whose host qemu-img cannot reach (a transport that carries only libvirt's protocol, ssh
 * parameters our ssh login cannot take) is accepted, since virsh can use it, but its `shell`
 * refuses to run anything.
 */
export function openHost(uri: string, options: OpenHostOptions = {}): Host {
  const parsed = parseLibvirtUri(uri);
  const log = options.log ?? silentLog;
  const local = options.local ?? new LocalCommandRunner({ log });
  const unsupported = shellProblem(parsed);
  if (unsupported === undefined && SSH_TRANSPORTS.includes(parsed.transport)) {
    const shell = new SshCommandRunner(sshTargetFromUri(parsed), local);
    return { uri, name: shell.host, virshRunner: local, shell, log };
  }
  if (unsupported !== undefined) {
    const name = remoteName(parsed);
    return { uri, name, virshRunner: local, shell: refusing(name, unsupported), log };
  }
  return { uri, name: local.host, virshRunner: local, shell: local, log };
}

/** A URI's host for messages: `user@host`, `host`, or `localhost` when it names none. */
function remoteName(uri: LibvirtUri): string {
  if (uri.host === undefined) return "localhost";
  return uri.user === undefined ? uri.host : `${uri.user}@${uri.host}`;
}

/**
 * Why qemu-img and file operations cannot reach the URI's host, if so: a transport that only
 * carries libvirt's protocol, or ssh parameters our ssh login cannot take (virsh, which logs in
 * its own way, may still use the URI).
 */
export function shellProblem(uri: LibvirtUri): UnsupportedTransportError | LibvirtUriError | undefined {
  try {
    if (SSH_TRANSPORTS.includes(uri.transport)) sshTargetFromUri(uri);
    else commandTransport(uri);
    return undefined;
  } catch (error) {
    if (error instanceof UnsupportedTransportError || error instanceof LibvirtUriError) return error;
    throw error;
  }
}

/** A runner for a host nothing but libvirt's protocol reaches: every run fails with `error`. */
function refusing(host: string, error: UnsupportedTransportError | LibvirtUriError): CommandRunner {
  return {
    host,
    run: async (): Promise<CommandResult> => {
      throw error;
    },
  };
}
