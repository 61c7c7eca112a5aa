// What a command may touch of the outside: its output streams, whether they are a terminal, the host.
import type { CommandRunner } from "../host/command-runner.js";

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** stderr is a terminal: progress is drawn as a bar instead of printed as lines. */
  readonly interactive: boolean;
  /** Runs qemu-img and file operations: on this machine, or over ssh with `--uri qemu+ssh://...`. */
  readonly hostFor: (uri: string | undefined) => CommandRunner;
}

/** A mistake in how the command was called: exit code 2 and the command's usage. */
export class UsageError extends Error {
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

export const EXIT_OK = 0;
/** The command ran and found problems (verify), or the work failed (restore). */
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;
