// A throwaway OpenSSH server on 127.0.0.1 for the ssh tests: its own host key, client key and known_hosts.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runner } from "./host.js";

const SSHD = "/usr/sbin/sshd";
// sshd's privilege-separation directory is compiled in (Debian: /run/sshd); the openssh-server
// package creates it at boot through systemd-tmpfiles, which machines without systemd never run.
const PRIVSEP_DIR = "/run/sshd";

export interface TestSshd {
  readonly port: number;
  /** Everything of this server lives here, removed by stop(). */
  readonly dir: string;
  /** A private key that root@127.0.0.1 accepts. */
  readonly clientKey: string;
  /** A private key the server does not accept. */
  readonly strangerKey: string;
  /** known_hosts with this server's host key. */
  readonly knownHosts: string;
  /** known_hosts recording a different key for this server, as after a reinstall or an attack. */
  readonly wrongKnownHosts: string;
  /** A `qemu+ssh://root@127.0.0.1:PORT/system?...` URI for this server; parts can be overridden. */
  uri(overrides?: UriOverrides): string;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

export interface UriOverrides {
  readonly port?: number;
  readonly keyFile?: string;
  readonly knownHosts?: string;
  readonly extraParams?: Record<string, string>;
}

/**
 * Starts `sshd -D -e -f <generated config>` as a child process on a free port of 127.0.0.1:
 * root login by key only, no PAM, nothing read from /etc/ssh. Needs root and openssh-server.
 */
export async function startSshd(): Promise<TestSshd> {
  if (!existsSync(SSHD)) {
    throw new Error(
      `The ssh tests need an OpenSSH server: ${SSHD} is missing. On Debian: apt-get install openssh-server`,
    );
  }
  if (process.getuid?.() !== 0) throw new Error("The ssh tests start sshd, which must run as root");
  await mkdir(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(join(tmpdir(), "virtsnap-sshd-"));
  try {
    const key = (name: string) => join(dir, name);
    for (const name of ["host_key", "other_host_key", "client_key", "stranger_key"]) {
      await runner.run([
        "ssh-keygen",
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        "virtsnap-test",
        "-f",
        key(name),
      ]);
    }
    await writeFile(key("authorized_keys"), await readText(key("client_key.pub")));
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      await writeFile(key("sshd_config"), sshdConfig(dir, port));
      const hostKey = (await readText(key("host_key.pub"))).trim();
      const otherHostKey = (await readText(key("other_host_key.pub"))).trim();
      await writeFile(key("known_hosts"), `[127.0.0.1]:${port} ${hostKey}\n`);
      await writeFile(key("wrong_known_hosts"), `[127.0.0.1]:${port} ${otherHostKey}\n`);
      try {
        const child = await spawnSshd(key("sshd_config"), port);
        return handle(dir, port, child);
      } catch (error) {
        // Another process took the port between our probe and sshd's bind: try another.
        if (attempt < 5 && /Address already in use/.test(String(error))) continue;
        throw error;
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function handle(dir: string, port: number, child: ChildProcess): TestSshd {
  const file = (name: string) => join(dir, name);
  return {
    port,
    dir,
    clientKey: file("client_key"),
    strangerKey: file("stranger_key"),
    knownHosts: file("known_hosts"),
    wrongKnownHosts: file("wrong_known_hosts"),
    uri(overrides: UriOverrides = {}) {
      const params: Record<string, string> = {
        keyfile: overrides.keyFile ?? file("client_key"),
        known_hosts: overrides.knownHosts ?? file("known_hosts"),
        ...overrides.extraParams,
      };
      // libvirt percent-unescapes values and, unlike HTML forms, keeps '+' as it is.
      const query = Object.entries(params)
        .map(([name, value]) => `${name}=${encodeURIComponent(value).replaceAll("%2F", "/")}`)
        .join("&");
      return `qemu+ssh://root@127.0.0.1:${overrides.port ?? port}/system?${query}`;
    },
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function sshdConfig(dir: string, port: number): string {
  return [
    "ListenAddress 127.0.0.1",
    `Port ${port}`,
    `HostKey ${join(dir, "host_key")}`,
    "PidFile none",
    `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
    "AllowUsers root",
    "PermitRootLogin prohibit-password",
    "AuthenticationMethods publickey",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    // The authorized_keys file lives under /tmp, which StrictModes would reject (world-writable).
    "StrictModes no",
    "",
  ].join("\n");
}

/** Spawns sshd and resolves once it listens; rejects with its output if it exits first. */
function spawnSshd(config: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // sshd re-executes itself, which needs an absolute path.
    const child = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`sshd did not start listening on 127.0.0.1:${port} within 10 s: ${log}`));
    }, 10_000);
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      // Keep the start of the log for errors; the rest (one line per connection) is noise.
      if (log.length < 10_000) log += chunk;
      if (log.includes(`Server listening on 127.0.0.1 port ${port}.`)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with code ${code} before listening: ${log}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A port nothing listens on right now (the kernel picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === "object" && address !== null) resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

async function readText(path: string): Promise<string> {
  return readFile(path, "utf8");
}
