// How long backup work reports what it is doing: one interface, sinks for Pulumi and for a terminal.

/** Receives step messages and, for long copies, the fraction done. */
export interface ProgressSink {
  info(message: string): void;
  /** `fraction` in 0..1 of the work `label` names. */
  progress(label: string, fraction: number): void;
}

/** Drops everything (tests, `--json` output). */
export const silentProgress: ProgressSink = { info: () => undefined, progress: () => undefined };

/**
 * Reports plain lines: each message, and progress at most once per `stepPercent`. Suits CI logs
 * and Pulumi's log, which shows what a provider prints as diagnostics of the update.
 */
export function lineProgress(write: (line: string) => void, stepPercent = 10): ProgressSink {
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
  };
}
