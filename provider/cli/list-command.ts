// `virtsnap list <dir>`: the chains and backups in a backup directory, as a table or JSON.
import { parseArgs } from "node:util";
import { chainsIn } from "./chains.js";
import { formatBytes, table } from "./format.js";
import { type Cli, EXIT_OK, EXIT_PROBLEMS } from "./io.js";
import { absoluteDirectory } from "./paths.js";

export async function listCommand(args: readonly string[], cli: Cli): Promise<number> {
  const { io } = cli;
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: "boolean" }, domain: { type: "string" }, uri: { type: "string" } },
  });
  const directory = absoluteDirectory(positionals, "list");
  const found = await chainsIn(cli.tools(values.uri).files, directory, values.domain);
  const unreadable = found.flatMap((chain) => ("error" in chain ? [chain] : []));

  if (values.json) {
    const chains = found.map((chain) =>
      "manifest" in chain ? chain.manifest : { chainId: chain.chainId, error: chain.error.message },
    );
    io.stdout.write(`${JSON.stringify({ directory, chains }, null, 2)}\n`);
    return unreadable.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
  }

  const rows = found.flatMap((chain) =>
    "manifest" in chain
      ? chain.manifest.backups.map((backup) => [
          chain.chainId,
          chain.manifest.domain.name,
          String(backup.sequence),
          backup.level,
          backup.completedAt.replace(/\.\d{3}Z$/, "Z"),
          formatBytes(backup.copiedBytes),
          formatBytes(backup.disks.reduce((sum, disk) => sum + disk.fileSize, 0)),
          backup.disks.map((disk) => disk.target).join(","),
        ])
      : [],
  );
  if (rows.length > 0) {
    io.stdout.write(
      `${table(["CHAIN", "DOMAIN", "#", "LEVEL", "COMPLETED", "COPIED", "ON DISK", "DISKS"], rows)}\n`,
    );
  } else if (unreadable.length === 0) {
    io.stdout.write(`no backup chains in ${directory}\n`);
  }
  for (const chain of unreadable) io.stderr.write(`warning: ${chain.error.message}\n`);
  return unreadable.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
}
