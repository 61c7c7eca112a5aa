import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import {
  CommandError,
  CommandTimeoutError,
  ProgramNotFoundError,
  SshConnectionError,
} from "../../provider/host/errors.js";
import { openHost } from "../../provider/host/host.js";
import { SshCommandRunner } from "../../provider/host/ssh-command-runner.js";
import { runner as local } from "./rig/host.js";
import { startSshd, type TestSshd } from "./rig/sshd.js";

const HOSTILE = [
  "a;rm -rf /tmp/virtsnap-nothing",
  "$(touch /tmp/virtsnap-pwned)",
  "`touch /tmp/virtsnap-pwned`",
  "$HOME \u0024{PATH}",
  "../x",
  "<x> >y 2>&1",
  "--help",
  "-rf",
  "line1\nline2\n",
  "a\tb",
  "it's 'quoted'",
  'say "hi"',
  "back\\slash",
  "*",
  "~",
  "!",
  "!!",
  "a | b &",
  "snapshot-übung-日本語-🦀",
  "",
  "x".repeat(10 * 1024),
];

describe("SshCommandRunner over a real sshd", () => {
  let sshd: TestSshd;
  let runner: SshCommandRunner;

  beforeAll(async () => {
    sshd = await startSshd();
    runner = SshCommandRunner.fromUri(sshd.uri());
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it("hands every hostile argv element to the remote program byte for byte", async () => {
    const result = await runner.run(["printf", "%s\\0", ...HOSTILE]);
    expect(result.stdout.split("\0").slice(0, -1)).toEqual(HOSTILE);
    expect(result.argv).toEqual(["printf", "%s\\0", ...HOSTILE]);
    expect(existsSync("/tmp/virtsnap-pwned")).toBe(false);
  });

  it("runs the remote program in the C locale", async () => {
    expect((await runner.run(["sh", "-c", 'printf "%s" "$LC_ALL"'])).stdout).toBe("C");
  });

  it("feeds input to the remote program's stdin", async () => {
    expect((await runner.run(["cat"], { input: "line1\nü\n" })).stdout).toBe("line1\nü\n");
    expect((await runner.run(["cat"])).stdout).toBe("");
  });

  it("reports the remote exit code, stdout and stderr against the remote argv", async () => {
    const argv = ["sh", "-c", "echo out; echo 'error: boom' >&2; exit 3"];
    const error = await runner.run(argv).catch((e) => e);
    expect(error.constructor).toBe(CommandError);
    expect(error).toMatchObject({
      argv,
      exitCode: 3,
      stdout: "out\n",
      stderr: "error: boom\n",
      host: "root@127.0.0.1",
    });
    expect(error.message).toBe(
      "`sh -c echo out; echo 'error: boom' >&2; exit 3` on root@127.0.0.1 exited with code 3: error: boom",
    );
  });

  it("does not mistake a remote program's exit code 255 for an ssh failure", async () => {
    const error = await runner.run(["sh", "-c", "echo nope >&2; exit 255"]).catch((e) => e);
    expect(error.constructor).toBe(CommandError);
    expect(error).toMatchObject({ exitCode: 255, stderr: "nope\n" });
  });

  it("throws ProgramNotFoundError when the program is missing on the host", async () => {
    const error = await runner.run(["virtsnap-no-such-program", "--version"]).catch((e) => e);
    expect(error).toBeInstanceOf(ProgramNotFoundError);
    expect(error.message).toBe(
      "virtsnap-no-such-program is not installed on root@127.0.0.1: install it and make sure it is on PATH",
    );
  });

  it("throws an SshConnectionError that says what to do when the host key has changed", async () => {
    const uri = sshd.uri({ knownHosts: sshd.wrongKnownHosts });
    const error = await SshCommandRunner.fromUri(uri)
      .run(["true"])
      .catch((e) => e);
    expect(error).toBeInstanceOf(SshConnectionError);
    expect(error).toMatchObject({ reason: "host-key-changed", argv: ["true"], exitCode: 255 });
    expect(error.message).toContain(`ssh-keygen -R '[127.0.0.1]:${sshd.port}' -f ${sshd.wrongKnownHosts}`);
    expect(error.sshArgv).toContain(`UserKnownHostsFile=${sshd.wrongKnownHosts}`);
  });

  it("refuses an unknown host key and says how to add it", async () => {
    const dir = await scratchDir();
    const empty = join(dir, "known_hosts");
    await writeFile(empty, "");
    const error = await SshCommandRunner.fromUri(sshd.uri({ knownHosts: empty }))
      .run(["true"])
      .catch((e) => e);
    expect(error).toBeInstanceOf(SshConnectionError);
    expect(error.reason).toBe("host-key-unknown");
    expect(error.message).toContain(`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${empty}`);
    expect(await readFile(empty, "utf8")).toBe("");
  });

  it("with no_verify=1 records a first host key, as libvirt documents, but never accepts a changed one", async () => {
    const dir = await scratchDir();
    const empty = join(dir, "known_hosts");
    await writeFile(empty, "");
    const first = SshCommandRunner.fromUri(sshd.uri({ knownHosts: empty, extraParams: { no_verify: "1" } }));
    expect((await first.run(["echo", "in"])).stdout).toBe("in\n");
    // Debian's ssh_config hashes known_hosts entries: ask ssh-keygen, as a user would.
    const found = await local.run(["ssh-keygen", "-F", `[127.0.0.1]:${sshd.port}`, "-f", empty]);
    expect(found.stdout).toContain(" ssh-ed25519 ");

    const changed = SshCommandRunner.fromUri(
      sshd.uri({ knownHosts: sshd.wrongKnownHosts, extraParams: { no_verify: "1" } }),
    );
    const error = await changed.run(["true"]).catch((e) => e);
    expect(error).toBeInstanceOf(SshConnectionError);
    expect(error.reason).toBe("host-key-changed");
  });

  it("throws an SshConnectionError when the host refuses the key", async () => {
    const error = await SshCommandRunner.fromUri(sshd.uri({ keyFile: sshd.strangerKey }))
      .run(["true"])
      .catch((e) => e);
    expect(error).toBeInstanceOf(SshConnectionError);
    expect(error.reason).toBe("auth-refused");
    expect(error.message).toMatch(
      /ssh login as root@127\.0\.0\.1 was refused .*Permission denied \(publickey\)/,
    );
  });

  it("throws an SshConnectionError when nothing listens on the port", async () => {
    const error = await SshCommandRunner.fromUri(sshd.uri({ port: 1 }))
      .run(["true"])
      .catch((e) => e);
    expect(error).toBeInstanceOf(SshConnectionError);
    expect(error.reason).toBe("unreachable");
    expect(error.message).toMatch(/^cannot reach 127\.0\.0\.1 port 1 over ssh .*Connection refused/);
  });

  it("stops the remote program, not just ssh, when it runs past its timeout", async () => {
    const started = Date.now();
    const error = await runner.run(["sleep", "37.25"], { timeoutMs: 1500 }).catch((e) => e);
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect(error).toMatchObject({ argv: ["sleep", "37.25"], host: "root@127.0.0.1", timeoutMs: 1500 });
    expect(Date.now() - started).toBeLessThan(8000);
    // Killing the local ssh client alone would leave it running on the host.
    const left = await local.run(["pgrep", "-f", "-x", "sleep 37.25"]).then(
      (result) => result.stdout,
      () => "",
    );
    expect(left).toBe("");
  });

  it("runs qemu-img info on an image whose name is hostile", async () => {
    const dir = await scratchDir();
    const image = join(dir, "disk a 'q' \"d\" $(touch x) `id`\nline2 ~!*.qcow2");
    await local.run(["qemu-img", "create", "-q", "-f", "qcow2", image, "16M"]);
    const result = await runner.run(["qemu-img", "info", "--output=json", image]);
    expect(JSON.parse(result.stdout)).toMatchObject({
      filename: image,
      format: "qcow2",
      "virtual-size": 16 * 1024 * 1024,
    });
    expect(existsSync(join(dir, "x"))).toBe(false);
  });

  it("is the shell openHost gives for a qemu+ssh URI", async () => {
    const viaUri = openHost(sshd.uri()).shell;
    expect(viaUri).toBeInstanceOf(SshCommandRunner);
    expect((await viaUri.run(["echo", "via", "uri"])).stdout).toBe("via uri\n");
  });
});

async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "virtsnap-ssh-test-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
