// The clients of a host whose every command a scripted runner answers: for unit tests of error paths.
import type { CommandRunner } from "../../provider/host/command-runner.js";
import { openHost } from "../../provider/host/host.js";
import type { Log } from "../../provider/host/log.js";
import { type HostTools, toolsFor } from "../../provider/tools/host-tools.js";

/**
 * HostTools for `uri` (default `qemu:///system`) whose runs all go to `runner`: virsh directly,
 * qemu-img and file operations directly for a local URI and through ssh's argv for `+ssh`.
 * `shell` answers qemu-img and file operations instead, when a test scripts them apart.
 */
export function recordedTools(
  runner: CommandRunner,
  options: { uri?: string; log?: Log; shell?: CommandRunner } = {},
): HostTools {
  const host = openHost(options.uri ?? "qemu:///system", {
    local: runner,
    ...(options.log ? { log: options.log } : {}),
  });
  return toolsFor(options.shell === undefined ? host : { ...host, shell: options.shell });
}
