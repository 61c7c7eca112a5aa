import { describe, expect, it } from "vitest";
import { CommandError, ProgramNotFoundError, SshConnectionError } from "../../../provider/host/errors.js";
import { LibvirtUriError } from "../../../provider/host/libvirt-uri.js";
import { SshCommandRunner } from "../../../provider/host/ssh-command-runner.js";
import { fixture } from "../../support/fixtures.js";
import { RecordingCommandRunner } from "../../support/recording-command-runner.js";

const URI = "qemu+ssh://root@backup-host:2222/system?keyfile=/keys/id&known_hosts=/keys/kh";
const isSsh = (argv: readonly string[]) => argv[0] === "ssh";

describe("SshCommandRunner", () => {
  it("runs each argv through ssh as one quoted command line in the C locale", async () => {
    const local = new RecordingCommandRunner([{ match: isSsh, answer: { stdout: "ok\n" } }]);
    const runner = SshCommandRunner.fromUri(URI, local);
    const result = await runner.run(["qemu-img", "info", "/images/a b;$(x).qcow2"], { timeoutMs: 1234 });
    expect(local.runs).toEqual([
      {
        argv: [
          "ssh",
          "-o",
          "BatchMode=yes",
          "-o",
          "StrictHostKeyChecking=yes",
          "-o",
          "ConnectTimeout=30",
          "-T",
          "-p",
          "2222",
          "-i",
          "/keys/id",
          "-o",
          "IdentitiesOnly=yes",
          "-o",
          "UserKnownHostsFile=/keys/kh",
          "-l",
          "root",
          "--",
          "backup-host",
          "env LC_ALL=C timeout -k 10 2 'qemu-img' 'info' '/images/a b;$(x).qcow2'",
        ],
        // The host stops the program; the local ssh gets time to connect and hear about it.
        options: { timeoutMs: 1234 + 40_000 },
      },
    ]);
    expect(result).toEqual({
      argv: ["qemu-img", "info", "/images/a b;$(x).qcow2"],
      exitCode: 0,
      stdout: "ok\n",
      stderr: "",
    });
  });

  it("hands stdin to ssh, which forwards it to the remote program", async () => {
    const local = new RecordingCommandRunner([{ match: isSsh, answer: {} }]);
    await SshCommandRunner.fromUri(URI, local).run(["dd", "of=/x", "status=none"], { input: "{}" });
    expect(local.runs[0]?.options).toEqual({ input: "{}", timeoutMs: 60_000 + 40_000 });
  });

  it("names the remote user and host as its host", () => {
    expect(SshCommandRunner.fromUri(URI, new RecordingCommandRunner()).host).toBe("root@backup-host");
    expect(SshCommandRunner.fromUri("qemu+ssh://h/system", new RecordingCommandRunner()).host).toBe("h");
  });

  it("throws an SshConnectionError with the remote argv when ssh cannot verify the host key", async () => {
    const stderr = fixture("ssh", "host-key-unknown.stderr");
    const local = new RecordingCommandRunner([{ match: isSsh, answer: { exitCode: 255, stderr } }]);
    const error = await SshCommandRunner.fromUri(URI, local)
      .run(["qemu-img", "info", "/x"])
      .catch((e) => e);
    expect(error).toBeInstanceOf(SshConnectionError);
    expect(error).toMatchObject({
      reason: "host-key-unknown",
      argv: ["qemu-img", "info", "/x"],
      host: "root@backup-host",
      sshArgv: local.runs[0]?.argv,
    });
    expect(error.message).toMatch(/ssh-keyscan -p 2222 backup-host >> \/keys\/kh/);
  });

  it("throws ProgramNotFoundError when the remote host lacks the program", async () => {
    const stderr = fixture("ssh", "command-not-found.stderr");
    const local = new RecordingCommandRunner([{ match: isSsh, answer: { exitCode: 127, stderr } }]);
    const error = await SshCommandRunner.fromUri(URI, local)
      .run(["no-such-program", "--version"])
      .catch((e) => e);
    expect(error).toBeInstanceOf(ProgramNotFoundError);
    expect(error.message).toMatch(/^no-such-program is not installed on root@backup-host/);
  });

  it("throws a plain CommandError, as a classifier expects, when the remote program fails", async () => {
    const local = new RecordingCommandRunner([
      { match: isSsh, answer: { exitCode: 1, stderr: "qemu-img: Could not open '/x'\n" } },
    ]);
    const error = await SshCommandRunner.fromUri(URI, local)
      .run(["qemu-img", "info", "/x"])
      .catch((e) => e);
    expect(error.constructor).toBe(CommandError);
    expect(error).toMatchObject({
      argv: ["qemu-img", "info", "/x"],
      exitCode: 1,
      stderr: "qemu-img: Could not open '/x'\n",
      host: "root@backup-host",
    });
    expect(error.cause.argv[0]).toBe("ssh");
  });

  it("refuses a URI it cannot log in with before running anything", () => {
    const local = new RecordingCommandRunner();
    expect(() => SshCommandRunner.fromUri("qemu+ssh://h/system?keyfile=relative", local)).toThrow(
      LibvirtUriError,
    );
    expect(local.runs).toEqual([]);
  });
});
