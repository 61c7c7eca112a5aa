// Runs the virtsnap command in-process with captured output and every host command answered by a runner.
import { PassThrough } from "node:stream";
import type { CliIo } from "../../provider/cli/io.js";
import { runCli } from "../../provider/cli/main.js";
import type { CommandRunner } from "../../provider/host/command-runner.js";
import { openHost } from "../../provider/host/host.js";
import { toolsFor } from "../../provider/tools/host-tools.js";

/** What a run of the command printed and returned. */
export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A CliIo whose hosts run every command through `runner` (a RecordingCommandRunner), or with
 * `undefined` through the real runners of this machine, as the installed command does.
 */
export function cliIo(
  runner: CommandRunner | undefined,
  streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
  env: Record<string, string | undefined> = {},
): CliIo {
  return {
    ...streams,
    interactive: false,
    env,
    connect: (uri, log) => toolsFor(openHost(uri, runner === undefined ? { log } : { local: runner, log })),
  };
}

/** Runs `virtsnap ARGS` with `runner` answering every command (undefined: really run); returns what it printed. */
export async function runVirtsnap(
  runner: CommandRunner | undefined,
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: "", stderr: "" };
  stdout.on("data", (chunk) => {
    chunks.stdout += chunk;
  });
  stderr.on("data", (chunk) => {
    chunks.stderr += chunk;
  });
  const exitCode = await runCli(args, cliIo(runner, { stdout, stderr }, env));
  return { exitCode, ...chunks };
}
