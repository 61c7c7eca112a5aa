// The one interface through which every layer above runs a program on the target host.

/** What a caller asks for besides the argv. */
export interface RunOptions {
  /** Hard limit for the run; the process is killed when it is reached. */
  readonly timeoutMs?: number;
  /** Bytes written to the program's stdin. */
  readonly input?: string;
  /**
   * Called with each raw chunk of stdout as it arrives, for progress (`qemu-img convert -p`
   * ends each step with `\r`, so chunks are not split into lines). stdout is still returned.
   */
  readonly onStdout?: (chunk: string) => void;
}

/** A finished run, successful or not. */
export interface CommandResult {
  readonly argv: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs argv arrays on one host. `run` resolves with the result when the program exited 0 and
 * rejects with a {@link CommandError} (or a subclass) otherwise; it never takes a shell string.
 */
export interface CommandRunner {
  /** Where the commands run, for messages: `localhost` or `user@host`. */
  readonly host: string;
  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

/** Default limit for a query (a dumpxml, a list): these answer in well under a second. */
export const QUERY_TIMEOUT_MS = 60_000;
