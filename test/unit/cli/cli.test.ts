import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../provider/cli/main.js";
import { RecordingCommandRunner } from "../../../provider/host/recording-command-runner.js";
import { PROVIDER_VERSION } from "../../../provider/version.js";

/** Runs the command with captured output and a runner that proves nothing ran on a host. */
async function cli(...args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: "", stderr: "" };
  stdout.on("data", (chunk) => (chunks.stdout += chunk));
  stderr.on("data", (chunk) => (chunks.stderr += chunk));
  const runner = new RecordingCommandRunner();
  const code = await runCli(args, { stdout, stderr, interactive: false, hostFor: () => runner });
  return { code, ...chunks, runs: runner.runs };
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
