// What a command may touch of the outside: its output streams, its environment, the hosts it opens.
import { VirtsnapError } from "../errors.js";
import { chooseUri } from "../host/host.js";
import { type Log, silentLog } from "../host/log.js";
import type { HostTools } from "../tools/host-tools.js";
import { terminalProgress } from "./terminal-progress.js";

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** stderr is a terminal: progress is drawn as a bar instead of printed as lines. */
  readonly interactive: boolean;
  /** The environment variables the command reads: `LIBVIRT_DEFAULT_URI`, `VIRTSNAP_DEBUG`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The tools of the host a libvirt URI names (qemu-img and files over ssh for `qemu+ssh://`), reporting to `log`. */
  readonly connect: (uri: string, log: Log) => HostTools;
}

/** One run of the command: its io, whether `--debug` is on, and the host it works on. */
export class Cli {
  readonly io: CliIo;
  /** `--debug` or `VIRTSNAP_DEBUG=1`: every command run is logged, and a failure shows its causes. */
  readonly debug: boolean;

  constructor(io: CliIo, debug: boolean) {
    this.io = io;
    this.debug = debug;
  }

  /**
   * The host `--uri` names, else `LIBVIRT_DEFAULT_URI`, else `qemu:///system` (the rule Pulumi
   * programs follow, less the stack config). With `progress`, steps and progress go to stderr.
   */
  tools(uri: string | undefined, options: { progress?: boolean } = {}): HostTools {
    const chosen = chooseUri({ given: uri, environment: this.io.env.LIBVIRT_DEFAULT_URI });
    return this.io.connect(chosen, this.log(options.progress ?? false));
  }

  private log(progress: boolean): Log {
    const shown = progress ? terminalProgress(this.io.stderr, this.io.interactive) : silentLog;
    const debug = (line: string) => {
      if (this.debug) this.io.stderr.write(`debug: ${line}\n`);
    };
    return { ...shown, debug };
  }
}

/** A mistake in how the command was called: exit code 2 and the command's usage. */
export class UsageError extends VirtsnapError {
  readonly code = "usage";
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

export const EXIT_OK = 0;
/** The command ran and found problems (verify), or the work failed (restore). */
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;
