// Runs one virsh argv and turns a failure into the most specific virsh error class.
import type { CommandRunner, RunOptions } from "../../host/command-runner.js";
import { classifyVirshError } from "./errors.js";

/** stdout of the run; a failure is thrown classified (DomainNotFoundError, JobActiveError, ...). */
export async function runVirsh(
  runner: CommandRunner,
  argv: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  try {
    return (await runner.run(argv, options)).stdout;
  } catch (error) {
    throw classifyVirshError(error);
  }
}
