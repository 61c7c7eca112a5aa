import { describe, expect, it } from "vitest";
import { PROVIDER_VERSION } from "../../../provider/version.js";
import { runVirtsnap } from "../../support/cli-io.js";
import { RecordingCommandRunner } from "../../support/recording-command-runner.js";

/** Runs the command with captured output and a runner that proves nothing ran on a host. */
async function cli(...args: string[]) {
  const runner = new RecordingCommandRunner();
  const { exitCode, stdout, stderr } = await runVirtsnap(runner, args);
  return { code: exitCode, stdout, stderr, runs: runner.runs };
}

describe("virtsnap", () => {
  it("prints the overview and exits 2 without a command", async () => {
    const result = await cli();
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/Usage: virtsnap <command>/);
  });

  it.each(["list", "restore", "verify", "volume"])("has help for %s", async (command) => {
    for (const args of [
      ["help", command],
      [command, "--help"],
    ]) {
      const result = await cli(...args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`Usage: virtsnap ${command}`));
    }
  });

  it("prints its version", async () => {
    expect((await cli("--version")).stdout).toBe(`virtsnap ${PROVIDER_VERSION}\n`);
  });

  it.each([
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["restore", "/b"], /restore needs --to DIR/],
    [["restore", "/b", "--to", "/r", "--at", "yesterday"], /--at yesterday: give a backup number/],
    [["verify"], /verify takes one backup directory, got 0 arguments/],
    [["list", "/a", "/b"], /list takes one backup directory, got 2 arguments/],
    [["list", "/b", "--colour"], /Unknown option '--colour'/],
  ])("rejects %j with exit code 2 and the command's usage, running nothing", async (args, message) => {
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.runs).toEqual([]);
  });
});

describe("virtsnap's host and failures", () => {
  const denied = () =>
    new RecordingCommandRunner([
      {
        match: (argv) => argv.includes("stat"),
        answer: { exitCode: 1, stderr: "stat: cannot statx '/var/backups/web1': Permission denied\n" },
      },
    ]);

  it("prints the failure's message alone, exit code 1", async () => {
    const runner = denied();
    const result = await runVirtsnap(runner, ["list", "/var/backups/web1"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      'virtsnap list: cannot inspect "/var/backups/web1" on recorded-host ' +
        "(stat: cannot statx '/var/backups/web1': Permission denied): the user the commands run as needs access there\n",
    );
  });

  it.each([
    ["--debug", ["list", "--debug", "/var/backups/web1"], {}],
    ["VIRTSNAP_DEBUG=1", ["list", "/var/backups/web1"], { VIRTSNAP_DEBUG: "1" }],
  ])(
    "with %s, logs each command and prints the cause chain with argv, host and stderr",
    async (_how, args, env) => {
      const result = await runVirtsnap(denied(), args, env);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/^virtsnap list: HostFileError \[host-file-failed\]: cannot inspect/m);
      expect(result.stderr).toMatch(
        /^ {4}argv: \["stat","-c","%f %s %Y %u %g","--","\/var\/backups\/web1"\]$/m,
      );
      expect(result.stderr).toMatch(/^ {4}host: recorded-host, exit code: 1$/m);
      expect(result.stderr).toMatch(/^ {2}caused by CommandError \[command-failed\]: `stat -c/m);
      expect(result.stderr).toMatch(/stderr: stat: cannot statx '\/var\/backups\/web1': Permission denied$/m);
    },
  );

  it("logs each command it runs on this machine with --debug, and nothing without", async () => {
    const missing = "/nonexistent/virtsnap-cli-test";
    const debug = await runVirtsnap(undefined, ["list", "--debug", missing]);
    expect(debug.stderr).toMatch(
      /^debug: ran on localhost in \d+ ms, exit 1: \["stat","-c","%f %s %Y %u %g","--","\/nonexistent\/virtsnap-cli-test"\]$/m,
    );
    expect((await runVirtsnap(undefined, ["list", missing])).stderr).not.toMatch(/debug:/);
  });

  it("follows LIBVIRT_DEFAULT_URI when --uri is not given, as Pulumi programs do", async () => {
    const runner = new RecordingCommandRunner();
    await runVirtsnap(runner, ["list", "/var/backups/web1"], {
      LIBVIRT_DEFAULT_URI: "qemu+ssh://root@kvm1/system",
    });
    expect(runner.runs[0]?.argv.slice(0, 1)).toEqual(["ssh"]);
    expect(runner.runs[0]?.argv).toContain("kvm1");
  });

  it("takes --uri over LIBVIRT_DEFAULT_URI", async () => {
    const runner = new RecordingCommandRunner();
    await runVirtsnap(runner, ["list", "/var/backups/web1", "--uri", "qemu:///system"], {
      LIBVIRT_DEFAULT_URI: "qemu+ssh://root@kvm1/system",
    });
    expect(runner.runs[0]?.argv[0]).toBe("stat");
  });
});
