// `virtsnap volume list|revert`: the internal snapshots of qcow2 images no running domain uses.
import { type CliIo, UsageError } from "./io.js";
import { volumeListCommand } from "./volume-list-command.js";
import { volumeRevertCommand } from "./volume-revert-command.js";

export async function volumeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === "list") return volumeListCommand(rest, io);
  if (subcommand === "revert") return volumeRevertCommand(rest, io);
  throw new UsageError(
    subcommand === undefined
      ? "volume needs a subcommand: list or revert"
      : `unknown volume subcommand '${subcommand}': use list or revert`,
    "volume",
  );
}
