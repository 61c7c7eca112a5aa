// `virtsnap restore <dir> --to <dir>`: a point in time of a chain as standalone, checked qcow2 images.
import { parseArgs } from "node:util";
import { restorePoint } from "../backup/restore.js";
import { chainsIn, parsePoint, pickChain } from "./chains.js";
import { type Cli, EXIT_OK, UsageError } from "./io.js";
import { absolute, absoluteDirectory } from "./paths.js";

export async function restoreCommand(args: readonly string[], cli: Cli): Promise<number> {
  const { io } = cli;
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      to: { type: "string" },
      chain: { type: "string" },
      at: { type: "string" },
      disk: { type: "string", multiple: true },
      domain: { type: "string" },
      uri: { type: "string" },
      json: { type: "boolean" },
    },
  });
  const directory = absoluteDirectory(positionals, "restore");
  if (values.to === undefined)
    throw new UsageError("restore needs --to DIR: where to write the restored images", "restore");
  const point = parsePoint(values.at);
  const tools = cli.tools(values.uri, { progress: !values.json });
  const manifest = pickChain(await chainsIn(tools.files, directory, values.domain), point, values.chain);
  const result = await restorePoint(tools, directory, manifest, point, absolute(values.to), {
    ...(values.disk === undefined ? {} : { disks: values.disk }),
    log: tools.host.log,
  });

  if (values.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    io.stdout.write(
      `restored backup ${result.sequence} of chain ${result.chainId} (completed ${result.completedAt}):\n` +
        result.disks.map((disk) => `  ${disk.target}  ${disk.path}\n`).join(""),
    );
  }
  return EXIT_OK;
}
