// `virtsnap volume list|revert`: the internal snapshots of qcow2 images no running domain uses.
import { type Cli, UsageError } from "./io.js";
import { volumeListCommand } from "./volume-list-command.js";
import { volumeRevertCommand } from "./volume-revert-command.js";

export async function volumeCommand(args: readonly string[], cli: Cli): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === "list") return volumeListCommand(rest, cli);
  if (subcommand === "revert") return volumeRevertCommand(rest, cli);
  throw new UsageError(
    subcommand === undefined
      ? "volume needs a subcommand: list or revert"
      : `unknown volume subcommand '${subcommand}': use list or revert`,
    "volume",
  );
}
