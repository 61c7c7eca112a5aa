// Progress for the virtsnap command: a bar on a terminal, plain lines otherwise (CI logs).
import { SingleBar } from "cli-progress";
import { type Log, lineLog } from "../host/log.js";

/** A Log writing to `stream`: one bar per labelled task on a terminal, else lines every 10 %. Debug lines are dropped. */
export function terminalProgress(stream: NodeJS.WritableStream, interactive: boolean): Log {
  if (!interactive) return lineLog((line) => stream.write(`${line}\n`));
  let bar: { label: string; bar: SingleBar } | undefined;
  const finish = () => {
    bar?.bar.stop();
    bar = undefined;
  };
  return {
    info: (message) => {
      finish();
      stream.write(`${message}\n`);
    },
    progress: (label, fraction) => {
      if (bar?.label !== label) {
        finish();
        const created = new SingleBar({
          format: `${label} [{bar}] {percentage}%`,
          stream,
          hideCursor: true,
          clearOnComplete: false,
        });
        created.start(100, 0);
        bar = { label, bar: created };
      }
      bar.bar.update(Math.round(fraction * 100));
      if (fraction >= 1) finish();
    },
    debug: () => undefined,
  };
}
