// Real tool output saved under test/fixtures (by the scripts/capture-*.sh scripts), read one way by every test.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CommandError } from "../../provider/host/errors.js";

/** The tools whose output is captured, one folder each under test/fixtures. */
export type FixtureTool = "virsh" | "qemu-img" | "coreutils" | "ssh";

const ROOT = join(__dirname, "..", "fixtures");

/** The path of a captured file (`virsh`, `domain-dumpxml-running.stdout`). */
export function fixturePath(tool: FixtureTool, file: string): string {
  return join(ROOT, tool, file);
}

/** A captured file's text; a missing file is an error (a typo in a test, or a capture not run). */
export function fixture(tool: FixtureTool, file: string): string {
  return readFileSync(fixturePath(tool, file), "utf8");
}

/** A captured stream that may be absent: the capture writes no file for an empty stream. */
export function optionalFixture(tool: FixtureTool, file: string): string {
  const path = fixturePath(tool, file);
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/** The exit code a capture recorded for `name` (`<name>.exit`; absent means 0). */
export function capturedExitCode(tool: FixtureTool, name: string): number {
  const recorded = optionalFixture(tool, `${name}.exit`).trim();
  return recorded === "" ? 0 : Number(recorded);
}

/**
 * A CommandError as a runner would throw it for the captured run `name` (its `.stdout`,
 * `.stderr` and `.exit` files), with `argv` and `host` as given.
 */
export function capturedFailure(
  tool: FixtureTool,
  name: string,
  argv: readonly string[],
  options: { exitCode?: number; host?: string } = {},
): CommandError {
  const failure = {
    argv,
    exitCode: options.exitCode ?? capturedExitCode(tool, name),
    stdout: optionalFixture(tool, `${name}.stdout`),
    stderr: optionalFixture(tool, `${name}.stderr`),
    host: options.host ?? "localhost",
  };
  return new CommandError(CommandError.describe(failure), failure);
}
