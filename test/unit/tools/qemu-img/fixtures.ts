// Reads the real qemu-img 7.2 output saved by scripts/capture-qemu-img-fixtures.sh.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CommandError } from "../../../../provider/host/errors.js";

const FIXTURES = join(__dirname, "../../../fixtures/qemu-img");
/** The directory the capture script made its images in, as the fixtures name it. */
export const CAPTURE_DIR = "/var/lib/libvirt/images/virtsnap-qemu-img-fixtures";

/** A captured stream (`info-qcow2.stdout`), or "" when the command printed nothing there. */
export function fixture(file: string): string {
  const path = join(FIXTURES, file);
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/** The exit code the capture recorded (files exist only for non-zero codes). */
export function exitCode(name: string): number {
  const recorded = fixture(`${name}.exit`).trim();
  return recorded === "" ? 0 : Number(recorded);
}

/** A CommandError as a runner would throw it for this captured run. */
export function failureFrom(name: string, argv: readonly string[]): CommandError {
  const failure = {
    argv,
    exitCode: exitCode(name),
    stdout: fixture(`${name}.stdout`),
    stderr: fixture(`${name}.stderr`),
    host: "localhost",
  };
  return new CommandError(CommandError.describe(failure), failure);
}
