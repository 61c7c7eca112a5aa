// Where work reports what it does: step messages, progress of long copies, and command details for --debug.

/** Receives step messages, the fraction done of long work, and debug details. */
export interface Log {
  /** A step a user wants to see (`full backup 0 of web1: first backup`). */
  info(message: string): void;
  /** `fraction` in 0..1 of the work `label` names. */
  progress(label: string, fraction: number): void;
  /** Details for `--debug` / `VIRTSNAP_DEBUG=1` and Pulumi's `--debug`: every command run, its host, time and exit. */
  debug(message: string): void;
}

/** Drops everything (tests, `--json` output). */
export const silentLog: Log = { info: () => undefined, progress: () => undefined, debug: () => undefined };

/**
 * Reports plain lines: each message, and progress at most once per `stepPercent`. Suits CI logs
 * and Pulumi's log, which shows what a provider prints as diagnostics of the update. Debug lines
 * go to `writeDebug` when given, else nowhere.
 */
export function lineLog(
  write: (line: string) => void,
  options: { stepPercent?: number; writeDebug?: (line: string) => void } = {},
): Log {
  const stepPercent = options.stepPercent ?? 10;
  const reported = new Map<string, number>();
  return {
    info: (message) => write(message),
    progress: (label, fraction) => {
      const percent = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
      const last = reported.get(label) ?? -stepPercent;
      if (percent - last >= stepPercent || (percent === 100 && last !== 100)) {
        reported.set(label, percent);
        write(`${label}: ${percent}%`);
      }
    },
    debug: (message) => options.writeDebug?.(message),
  };
}
