// Reads the progress `qemu-img convert -p` prints: "    (12.34/100%)" and a carriage return per step.

const STEP = /\((\d{1,3}(?:\.\d+)?)\/100%\)/g;

/** Every percentage in `text`, in order (repeats included). */
export function parseProgress(text: string): number[] {
  return [...text.matchAll(STEP)].map((match) => Number(match[1]));
}

/**
 * Turns stdout chunks, split anywhere, into calls of `onProgress` with each new, higher
 * percentage (qemu-img repeats 100.00 at the end; that is reported once).
 */
export class ProgressReader {
  private readonly onProgress: (percent: number) => void;
  private pending = "";
  private last = -1;

  constructor(onProgress: (percent: number) => void) {
    this.onProgress = onProgress;
  }

  /** Feeds more stdout; a step cut in half waits for the next chunk. */
  push(chunk: string): void {
    const text = this.pending + chunk;
    const end = text.lastIndexOf(")");
    this.pending = text.slice(end + 1);
    for (const percent of parseProgress(text.slice(0, end + 1))) {
      if (percent > this.last) {
        this.last = percent;
        this.onProgress(percent);
      }
    }
  }
}
