#!/usr/bin/env node
// The virtsnap command: dispatch to a subcommand, turn failures into messages and exit codes.
import { openHost } from "../host/host.js";
import { toolsFor } from "../tools/host-tools.js";
import { PROVIDER_VERSION } from "../version.js";
import { describeFailure } from "./failure.js";
import { COMMANDS, helpText } from "./help.js";
import { Cli, type CliIo, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError } from "./io.js";
import { listCommand } from "./list-command.js";
import { restoreCommand } from "./restore-command.js";
import { verifyCommand } from "./verify-command.js";
import { volumeCommand } from "./volume-command.js";

const RUN = {
  list: listCommand,
  restore: restoreCommand,
  verify: verifyCommand,
  volume: volumeCommand,
} as const;

/** Runs `virtsnap <args>` and returns the exit code. `--debug` may stand anywhere. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const debug = args.includes("--debug") || io.env.VIRTSNAP_DEBUG === "1";
  const [command, ...rest] = args.filter((arg) => arg !== "--debug");
  if (command === undefined || command === "help" || command === "-h" || command === "--help") {
    io.stdout.write(helpText(rest[0]));
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === "--version" || command === "-V") {
    io.stdout.write(`virtsnap ${PROVIDER_VERSION}\n`);
    return EXIT_OK;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    io.stderr.write(`virtsnap: unknown command '${command}'\n\n${helpText()}`);
    return EXIT_USAGE;
  }
  if (rest.includes("-h") || rest.includes("--help")) {
    io.stdout.write(helpText(command));
    return EXIT_OK;
  }
  try {
    return await RUN[command as keyof typeof RUN](rest, new Cli(io, debug));
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr.write(`virtsnap ${command}: ${(error as Error).message}\n\n${helpText(command)}`);
      return EXIT_USAGE;
    }
    io.stderr.write(`virtsnap ${command}: ${describeFailure(error, debug)}\n`);
    return EXIT_PROBLEMS;
  }
}

/** util.parseArgs reports unknown options and missing values with these codes. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

if (require.main === module) {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stderr.isTTY),
    env: process.env,
    connect: (uri, log) => toolsFor(openHost(uri, { log })),
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`virtsnap: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT_PROBLEMS;
    },
  );
}
