// Pure builders of the ssh command line that runs one argv on the host a libvirt +ssh URI names.
import { z } from "zod";
import { booleanParam, type LibvirtUri, LibvirtUriError, SSH_TRANSPORTS } from "./libvirt-uri.js";
import { shellJoin } from "./shell-quote.js";

// ssh reads -i and UserKnownHostsFile through its config parser, which splits on whitespace,
// strips quotes and expands %-tokens and ${VAR}: refuse paths it would not take literally.
const sshPath = z
  .string()
  .regex(
    /^\/[^\s%$"'\\\p{Cc}]*$/u,
    "must be an absolute path without whitespace, quotes, %, $ or backslashes",
  );

const sshTargetSchema = z.object({
  /** Host name or address as ssh takes it (no brackets around IPv6). */
  host: z.string().regex(/^[A-Za-z0-9_.:][A-Za-z0-9_.:%-]*$/, "must be a host name or an IP address"),
  user: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, "must be a plain user name")
    .optional(),
  port: z.number().int().min(1).max(65535).optional(),
  keyFile: sshPath.optional(),
  knownHostsFile: sshPath.optional(),
  /**
   * `yes`: only host keys already in known_hosts. `accept-new`: a host's first key is recorded,
   * a changed key is still refused. Never `no`.
   */
  hostKeyChecking: z.enum(["yes", "accept-new"]),
  /** The ssh client to run (libvirt's `command` parameter for the ssh transport). */
  sshCommand: z.string().regex(/^[^\s\p{Cc}]+$/u, "must be a program name or path without whitespace"),
});

/** Where and how ssh logs in; everything comes from the libvirt URI, the rest from ~/.ssh/config. */
export type SshTarget = z.infer<typeof sshTargetSchema>;

/** ssh gives up on a host that does not answer after this long (its default is the TCP timeout, minutes). */
const SSH_CONNECT_TIMEOUT_S = 30;

/**
 * The ssh login a +ssh (or +libssh, +libssh2) URI describes, reading the parameters the way
 * libvirt 9.0 does (docs/uri.rst, src/remote/remote_driver.c):
 * - no host means `localhost`, as in libvirt;
 * - `keyfile` is ssh's `-i`;
 * - `known_hosts` is the known_hosts file. libvirt uses it only for libssh/libssh2; we honour it
 *   for ssh too, so that commands verify the host against the file the URI names;
 * - `no_verify=1` (ssh transport): libvirt documents it as "auto-accept new host keys; existing
 *   host keys will still be validated", which is OpenSSH's `accept-new`. (libvirt 9.0 passes
 *   `StrictHostKeyChecking=no`, which would also let a *changed* key through; we never do.)
 * - `known_hosts_verify` (libssh/libssh2): `normal` checks, `auto` and `ignore` accept a first
 *   key; a changed key is refused either way;
 * - `command` (ssh transport) is the ssh binary.
 */
export function sshTargetFromUri(uri: LibvirtUri): SshTarget {
  if (!SSH_TRANSPORTS.includes(uri.transport)) {
    throw new LibvirtUriError(uri.uri, `transport ${uri.transport} does not log in over ssh`);
  }
  const candidate = {
    host: uri.host ?? "localhost",
    user: uri.user,
    port: uri.port,
    keyFile: uri.params.keyfile,
    knownHostsFile: uri.params.known_hosts,
    hostKeyChecking: acceptsNewHostKeys(uri) ? "accept-new" : "yes",
    sshCommand: (uri.transport === "ssh" ? uri.params.command : undefined) ?? "ssh",
  };
  const result = sshTargetSchema.safeParse(candidate);
  if (!result.success) {
    const detail = result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new LibvirtUriError(uri.uri, detail.join("; "));
  }
  return result.data;
}

function acceptsNewHostKeys(uri: LibvirtUri): boolean {
  if (uri.transport === "ssh") return booleanParam(uri, "no_verify");
  const verify = uri.params.known_hosts_verify ?? "normal";
  if (!["normal", "auto", "ignore"].includes(verify)) {
    throw new LibvirtUriError(uri.uri, `known_hosts_verify=${verify}: expected normal, auto or ignore`);
  }
  return verify !== "normal";
}

/** `user@host` (or the host alone), for messages and CommandError.host. */
export function sshDestination(target: SshTarget): string {
  return target.user === undefined ? target.host : `${target.user}@${target.host}`;
}

/** The host as known_hosts names it: `[host]:port` on a port other than 22. */
export function knownHostsName(target: SshTarget): string {
  return target.port === undefined || target.port === 22 ? target.host : `[${target.host}]:${target.port}`;
}

/** After its time limit the remote program gets SIGTERM, and SIGKILL this much later. */
const REMOTE_KILL_AFTER_S = 10;

/** Exit code of coreutils `timeout` when it stopped the program. */
export const REMOTE_TIMEOUT_EXIT_CODE = 124;

/**
 * How much longer than the remote limit the local ssh process may run: connecting, plus the
 * remote SIGKILL grace. The remote `timeout` normally fires first and reports exit code 124.
 */
export const SSH_TIMEOUT_GRACE_MS = (SSH_CONNECT_TIMEOUT_S + REMOTE_KILL_AFTER_S) * 1000;

/**
 * The one string ssh hands to the remote user's shell:
 * `env LC_ALL=C timeout -k 10 SECONDS 'prog' 'arg'...`, every argv element single-quoted, so the
 * shell only splits words and the program gets argv back byte for byte. `env` sets the C locale
 * there too, as LocalCommandRunner does here, so that the classifiers see untranslated
 * messages. coreutils `timeout` enforces the time limit on the host itself: killing the local
 * ssh client does not stop a remote program that has no pty (it would go on running, holding
 * image locks and writing files, after we reported the failure).
 */
export function remoteCommandLine(argv: readonly string[], timeoutMs: number): string {
  const program = argv[0];
  if (program === undefined || program === "") throw new TypeError("run() needs a non-empty argv");
  // timeout would read "-x" as its own option.
  if (program.startsWith("-")) {
    throw new TypeError(`cannot run a program named ${JSON.stringify(program)} through timeout`);
  }
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  return `env LC_ALL=C timeout -k ${REMOTE_KILL_AFTER_S} ${seconds} ${shellJoin(argv)}`;
}

/**
 * `ssh -o BatchMode=yes -o StrictHostKeyChecking=yes ... -- host 'env LC_ALL=C timeout ...'`: never asks
 * for a password or a host key (there is no terminal in a Pulumi provider), no pty, and the
 * user's agent, ~/.ssh/config and known_hosts apply to everything the URI does not set.
 */
export function sshArgv(target: SshTarget, argv: readonly string[], timeoutMs: number): string[] {
  return [
    target.sshCommand,
    "-o",
    "BatchMode=yes",
    "-o",
    `StrictHostKeyChecking=${target.hostKeyChecking}`,
    "-o",
    `ConnectTimeout=${SSH_CONNECT_TIMEOUT_S}`,
    "-T",
    ...(target.port === undefined ? [] : ["-p", String(target.port)]),
    ...(target.keyFile === undefined ? [] : ["-i", target.keyFile, "-o", "IdentitiesOnly=yes"]),
    ...(target.knownHostsFile === undefined ? [] : ["-o", `UserKnownHostsFile=${target.knownHostsFile}`]),
    ...(target.user === undefined ? [] : ["-l", target.user]),
    "--",
    target.host,
    remoteCommandLine(argv, timeoutMs),
  ];
}
