import { describe, expect, it } from "vitest";
import {
  CommandError,
  CommandTimeoutError,
  ProgramNotFoundError,
  SshConnectionError,
} from "../../../provider/host/errors.js";
import { parseLibvirtUri } from "../../../provider/host/libvirt-uri.js";
import { sshArgv, sshTargetFromUri } from "../../../provider/host/ssh-argv.js";
import { sshFailureReason, translateSshFailure } from "../../../provider/host/ssh-errors.js";
import { fixture } from "../../support/fixtures.js";

const stderrOf = (name: string): string => fixture("ssh", `${name}.stderr`);

const target = sshTargetFromUri(
  parseLibvirtUri("qemu+ssh://root@127.0.0.1:42922/system?keyfile=/keys/id&known_hosts=/keys/known_hosts"),
);
const remoteArgv = ["qemu-img", "info", "/var/lib/a b.qcow2"];
const run = { target, argv: remoteArgv, sshArgv: sshArgv(target, remoteArgv, 60_000), timeoutMs: 60_000 };

/** The CommandError LocalCommandRunner throws when the ssh process exits with this stderr. */
function sshFailure(fixture: string, exitCode: number): CommandError {
  const failure = { argv: run.sshArgv, exitCode, stdout: "", stderr: stderrOf(fixture), host: "localhost" };
  return new CommandError(CommandError.describe(failure), failure);
}

describe("sshFailureReason", () => {
  it.each([
    ["connection-refused", "unreachable"],
    ["hostname-unresolved", "unreachable"],
    ["connection-closed", "handshake-failed"],
    ["banner-timeout", "handshake-failed"],
    ["permission-denied-publickey", "auth-refused"],
    ["identity-file-missing", "auth-refused"],
    ["host-key-unknown", "host-key-unknown"],
    ["host-key-changed", "host-key-changed"],
    ["client-config-bad-option", "client-config"],
  ])("reads real ssh 9.2 stderr %s as %s", (fixture, reason) => {
    expect(sshFailureReason(255, stderrOf(fixture))).toBe(reason);
  });

  it("does not blame ssh when a remote program exits with 255 on its own", () => {
    expect(sshFailureReason(255, stderrOf("remote-exit-255"))).toBeUndefined();
  });

  it("does not blame ssh for ssh-like words from a remote program that exited otherwise", () => {
    expect(sshFailureReason(1, stderrOf("connection-refused"))).toBeUndefined();
  });
});

describe("translateSshFailure", () => {
  it.each([
    [
      "connection-refused",
      "unreachable",
      /cannot reach 127\.0\.0\.1 port 42922 over ssh .*Connection refused/,
    ],
    ["hostname-unresolved", "unreachable", /Could not resolve hostname/],
    ["connection-closed", "handshake-failed", /accepted the connection but the ssh handshake failed/],
    [
      "permission-denied-publickey",
      "auth-refused",
      /ssh login as root@127\.0\.0\.1 was refused .*BatchMode=yes.*keyfile=/,
    ],
    [
      "host-key-unknown",
      "host-key-unknown",
      /not in \/keys\/known_hosts.*`ssh-keyscan -p 42922 127\.0\.0\.1 >> \/keys\/known_hosts`/,
    ],
    [
      "host-key-changed",
      "host-key-changed",
      /has CHANGED .*`ssh-keygen -R '\[127\.0\.0\.1\]:42922' -f \/keys\/known_hosts`/,
    ],
  ])("turns ssh's %s into an SshConnectionError that says what to do", (fixture, reason, message) => {
    const original = sshFailure(fixture, 255);
    const error = translateSshFailure(original, run);
    expect(error).toBeInstanceOf(SshConnectionError);
    expect(error).toMatchObject({
      reason,
      argv: remoteArgv,
      sshArgv: run.sshArgv,
      exitCode: 255,
      stderr: original.stderr,
      host: "root@127.0.0.1",
      cause: original,
    });
    expect(String((error as Error).message)).toMatch(message);
  });

  it("keeps carriage returns and banner lines out of the message", () => {
    const error = translateSshFailure(sshFailure("host-key-changed", 255), run);
    expect((error as Error).message).not.toMatch(/\r|@@@/);
  });

  it("names the Debian package when env cannot find the remote program", () => {
    const missing = { ...run, argv: ["no-such-program", "--version"] };
    const error = translateSshFailure(sshFailure("command-not-found", 127), missing);
    expect(error).toBeInstanceOf(ProgramNotFoundError);
    expect(error).toMatchObject({ program: "no-such-program", host: "root@127.0.0.1", exitCode: 127 });
    const qemuImg = translateSshFailure(
      new CommandError("x", {
        argv: run.sshArgv,
        exitCode: 127,
        stdout: "",
        stderr: "timeout: failed to run command 'qemu-img': No such file or directory\n",
        host: "localhost",
      }),
      run,
    );
    expect((qemuImg as Error).message).toBe(
      "qemu-img is not installed on root@127.0.0.1: install it with `apt-get install qemu-utils` (Debian/Ubuntu)",
    );
  });

  it("reports a remote program's own failure as a CommandError of the remote argv", () => {
    const original = sshFailure("remote-exit-255", 255);
    const error = translateSshFailure(original, run);
    expect(error?.constructor).toBe(CommandError);
    expect(error).toMatchObject({ argv: remoteArgv, host: "root@127.0.0.1", exitCode: 255, cause: original });
    expect((error as Error).message).toBe(
      "`qemu-img info /var/lib/a b.qcow2` on root@127.0.0.1 exited with code 255: remote program failed",
    );
  });

  it("reports the remote timeout's exit code 124 as a timeout of the remote argv", () => {
    const original = new CommandError("x", {
      argv: run.sshArgv,
      exitCode: 124,
      stdout: "",
      stderr: "",
      host: "localhost",
    });
    const error = translateSshFailure(original, run);
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect(error).toMatchObject({
      argv: remoteArgv,
      host: "root@127.0.0.1",
      timeoutMs: 60_000,
      cause: original,
    });
    expect((error as Error).message).toBe(
      "`qemu-img info /var/lib/a b.qcow2` on root@127.0.0.1 did not finish within 60 s and was stopped",
    );
  });

  it("says so when the host lacks coreutils timeout itself", () => {
    const original = new CommandError("x", {
      argv: run.sshArgv,
      exitCode: 127,
      stderr: "env: 'timeout': No such file or directory\n",
      stdout: "",
      host: "localhost",
    });
    expect(translateSshFailure(original, run)).toMatchObject({
      program: "timeout",
      debianPackage: "coreutils",
    });
  });

  it("reports the local time limit as a timeout of the remote argv", () => {
    const original = new CommandTimeoutError(
      { argv: run.sshArgv, exitCode: undefined, stdout: "", stderr: "", host: "localhost" },
      5000,
    );
    const error = translateSshFailure(original, run);
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect(error).toMatchObject({
      argv: remoteArgv,
      host: "root@127.0.0.1",
      timeoutMs: 60_000,
      cause: original,
    });
  });

  it("leaves a missing local ssh client, and anything that is not a CommandError, as they were", () => {
    const noSsh = new ProgramNotFoundError(
      { argv: run.sshArgv, exitCode: undefined, stdout: "", stderr: "", host: "localhost" },
      "ssh",
      "openssh-client",
    );
    expect(translateSshFailure(noSsh, run)).toBe(noSsh);
    const bug = new TypeError("bug");
    expect(translateSshFailure(bug, run)).toBe(bug);
  });
});
