// libvirt connection URIs taken apart the way libvirt reads them (libvirt docs/uri.rst, src/util/viruri.c).
import { z } from "zod";
import { VirtsnapError } from "../errors.js";

/**
 * How libvirt reaches the daemon. `local`: no transport and no host (`qemu:///system`), a UNIX
 * socket on this machine. The others are named in the scheme (`qemu+ssh://`); a host without a
 * transport (`qemu://host/system`) means `tls`, libvirt's default for remote URIs.
 */
const LIBVIRT_TRANSPORTS = ["local", "unix", "ssh", "libssh", "libssh2", "tls", "tcp", "ext"] as const;
export type LibvirtTransport = (typeof LIBVIRT_TRANSPORTS)[number];

/** The transports that log in to the host over SSH, so that other commands can follow the same way. */
export const SSH_TRANSPORTS: readonly LibvirtTransport[] = ["ssh", "libssh", "libssh2"];

const libvirtUriSchema = z.object({
  /** The URI as given. */
  uri: z.string(),
  /** The hypervisor driver: `qemu`, `test`, ... */
  driver: z.string().regex(/^[a-z][a-z0-9_-]*$/, "a driver name such as qemu"),
  transport: z.enum(LIBVIRT_TRANSPORTS),
  user: z.string().min(1).optional(),
  /** Without brackets for IPv6, as libvirt strips them. */
  host: z.string().min(1).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  /** `/system`, `/session`, `/default`, ... */
  path: z.string(),
  /** Query parameters, names lower-cased (libvirt matches them case-insensitively), values unescaped. */
  params: z.record(z.string(), z.string()),
});

/** A parsed libvirt URI. */
export type LibvirtUri = z.infer<typeof libvirtUriSchema>;

/** The string is not a libvirt URI we can take apart (or a parameter in it is invalid). */
export class LibvirtUriError extends VirtsnapError {
  readonly code = "libvirt-uri-invalid";
  readonly uri: string;
  /** What is wrong, without the URI: the reason a check failure shows. */
  readonly detail: string;

  constructor(uri: string, detail: string) {
    super(`invalid libvirt URI ${JSON.stringify(uri)}: ${detail}`);
    this.uri = uri;
    this.detail = detail;
  }
}

// driver[+transport]://[user@][host][:port][/path][?params][#fragment] (RFC 2396, as libxml2 parses it).
const URI_PATTERN =
  /^(?<scheme>[A-Za-z][A-Za-z0-9.+-]*):\/\/(?:(?<user>[^@/?#]*)@)?(?<host>\[[^\]/?#]*\]|[^:/?#]*)(?::(?<port>[0-9]*))?(?<path>\/[^?#]*)?(?:\?(?<query>[^#]*))?(?:#.*)?$/;

/**
 * Takes a libvirt URI apart: `qemu:///system`, `qemu+ssh://root@host:2222/system?keyfile=/k`.
 * Throws {@link LibvirtUriError} for anything else, including URI aliases from libvirt.conf,
 * which only libvirt itself can resolve.
 */
export function parseLibvirtUri(uri: string): LibvirtUri {
  const match = URI_PATTERN.exec(uri);
  const groups = match?.groups;
  if (groups === undefined) {
    const alias = /^[A-Za-z0-9_-]+$/.test(uri) ? " (a URI alias from libvirt.conf? give the full URI)" : "";
    throw new LibvirtUriError(uri, `expected driver[+transport]://[user@][host][:port]/path${alias}`);
  }
  const [driver = "", explicitTransport, ...extra] = (groups.scheme ?? "").toLowerCase().split("+");
  if (extra.length > 0) throw new LibvirtUriError(uri, "the scheme has more than one '+'");
  const host = percentDecode(uri, stripBrackets(groups.host ?? ""));
  const transport = explicitTransport ?? (host === "" ? "local" : "tls");
  const known = LIBVIRT_TRANSPORTS.slice(1) as readonly string[];
  if (explicitTransport !== undefined && !known.includes(explicitTransport)) {
    throw new LibvirtUriError(
      uri,
      `unknown transport '${explicitTransport}' (libvirt knows ${known.join(", ")})`,
    );
  }
  const candidate = {
    uri,
    driver,
    transport,
    user: emptyToUndefined(percentDecode(uri, groups.user ?? "")),
    host: emptyToUndefined(host),
    port: groups.port === undefined || groups.port === "" ? undefined : Number(groups.port),
    path: percentDecode(uri, groups.path ?? ""),
    params: parseParams(uri, groups.query ?? ""),
  };
  const result = libvirtUriSchema.safeParse(candidate);
  if (!result.success) {
    const detail = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new LibvirtUriError(uri, detail.join("; "));
  }
  return result.data;
}

/**
 * A boolean URI parameter as libvirt reads it (`no_verify`, `no_tty`): an integer, non-zero
 * meaning true; absent is false. libvirt refuses anything that is not an integer, so do we.
 */
export function booleanParam(uri: LibvirtUri, name: string): boolean {
  const value = uri.params[name];
  if (value === undefined) return false;
  if (!/^[+-]?[0-9]+$/.test(value.trim())) {
    throw new LibvirtUriError(uri.uri, `${name}=${value} is not an integer (libvirt expects 0 or 1)`);
  }
  return Number(value) !== 0;
}

/**
 * libvirt's query syntax (viruri.c virURIParseParams): `name=value` pairs separated by `&` (or
 * `;` where no `&` follows), percent-unescaped; `+` stays a plus; the last of a repeated name wins
 * (remote_driver.c reads them in order).
 */
function parseParams(uri: string, query: string): Record<string, string> {
  const params: Record<string, string> = {};
  let rest = query;
  while (rest !== "") {
    let end = rest.indexOf("&");
    if (end < 0) end = rest.indexOf(";");
    if (end < 0) end = rest.length;
    const pair = rest.slice(0, end);
    rest = rest.slice(end + 1);
    const eq = pair.indexOf("=");
    // "=value" has no name: libvirt ignores it, as CGI.pm does.
    if (pair === "" || eq === 0) continue;
    const name = percentDecode(uri, eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
    params[name] = eq < 0 ? "" : percentDecode(uri, pair.slice(eq + 1));
  }
  return params;
}

function percentDecode(uri: string, text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new LibvirtUriError(uri, `bad percent-escape in ${JSON.stringify(text)}`);
  }
}

function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function emptyToUndefined(text: string): string | undefined {
  return text === "" ? undefined : text;
}

/** How commands other than virsh (qemu-img, file operations) reach the host a URI names. */
export type CommandTransport = "local" | "ssh";

/** virtsnap cannot run qemu-img or file operations on the host this URI names. */
export class UnsupportedTransportError extends VirtsnapError {
  readonly code = "transport-unsupported";
  readonly uri: string;
  readonly transport: LibvirtTransport;

  constructor(uri: LibvirtUri, detail: string) {
    super(
      `qemu-img and file operations must reach the host of ${uri.uri}, but ${detail}. ` +
        "Use a qemu+ssh:// URI for that host (virsh connects through it too), or run virtsnap on the host itself",
    );
    this.uri = uri.uri;
    this.transport = uri.transport;
  }
}

/**
 * `local` for a daemon on this machine (no host: `qemu:///system`, `qemu+unix:///system`),
 * `ssh` for the SSH transports: commands log in the way libvirt does. The TLS, TCP and ext
 * transports carry only libvirt's own protocol, so nothing else can reach their host.
 */
export function commandTransport(uri: LibvirtUri): CommandTransport {
  if (SSH_TRANSPORTS.includes(uri.transport)) return "ssh";
  if (uri.transport === "local") return "local";
  if (uri.transport === "unix") {
    if (uri.host === undefined) return "local";
    throw new UnsupportedTransportError(
      uri,
      `a unix socket is on this machine while the URI names host ${uri.host}`,
    );
  }
  throw new UnsupportedTransportError(
    uri,
    `its ${uri.transport} transport only carries libvirt's own protocol`,
  );
}
