// CommandRunner for the machine we run on, on execa: the only module that imports execa.
import { execa } from "execa";
import {
  type CommandResult,
  type CommandRunner,
  QUERY_TIMEOUT_MS,
  type RunOptions,
} from "./command-runner.js";
import {
  CommandError,
  type CommandFailure,
  CommandTimeoutError,
  DEBIAN_PACKAGES,
  ProgramNotFoundError,
} from "./errors.js";
import type { Log } from "./log.js";

/**
 * Runs commands on this machine: no shell, stdin closed unless input is given, C locale. Every
 * run is logged at debug level (argv, host, duration, exit code) when a log is given.
 */
export class LocalCommandRunner implements CommandRunner {
  readonly host = "localhost";
  private readonly log: Log | undefined;

  constructor(options: { log?: Log } = {}) {
    this.log = options.log;
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const [program, ...args] = argv;
    if (program === undefined) throw new TypeError("run() needs a non-empty argv");
    const timeoutMs = options.timeoutMs ?? QUERY_TIMEOUT_MS;
    const started = Date.now();
    const subprocess = execa(program, args, {
      reject: false,
      timeout: timeoutMs,
      // Tools' messages are matched by the classifiers: make sure they are untranslated.
      env: { LC_ALL: "C", LANG: "C" },
      extendEnv: true,
      ...(options.input === undefined ? { stdin: "ignore" as const } : { input: options.input }),
      stripFinalNewline: false,
      encoding: "utf8",
    });
    if (options.onStdout) {
      const onStdout = options.onStdout;
      subprocess.stdout?.on("data", (chunk: Buffer | string) => onStdout(chunk.toString()));
    }
    const result = await subprocess;
    this.log?.debug(
      `ran on ${this.host} in ${Date.now() - started} ms, ${result.timedOut ? "timed out" : `exit ${result.exitCode ?? "killed"}`}: ${JSON.stringify(argv)}`,
    );
    const failure: CommandFailure = {
      argv: [...argv],
      exitCode: result.exitCode,
      stdout: result.stdout ?? "",
      stderr: result.stderr ?? "",
      host: this.host,
      cause: result.cause,
    };
    if (result.timedOut) throw new CommandTimeoutError(failure, timeoutMs);
    if (isMissingProgram(result.cause)) {
      throw new ProgramNotFoundError(failure, program, DEBIAN_PACKAGES[program]);
    }
    if (result.failed || result.exitCode !== 0)
      throw new CommandError(CommandError.describe(failure), failure);
    return { argv: failure.argv, exitCode: 0, stdout: failure.stdout, stderr: failure.stderr };
  }
}

function isMissingProgram(cause: unknown): boolean {
  return typeof cause === "object" && cause !== null && "code" in cause && cause.code === "ENOENT";
}
