// `virtsnap volume list <path|pool/volume>`: the internal snapshots of a qcow2 image, as a table or JSON.
import { parseArgs } from "node:util";
import { resolveVolume } from "../volumes/resolve-volume.js";
import { formatBytes, table } from "./format.js";
import { type Cli, EXIT_OK, UsageError } from "./io.js";
import { parseVolumeTarget } from "./volume-target.js";

export async function volumeListCommand(args: readonly string[], cli: Cli): Promise<number> {
  const { io } = cli;
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: "boolean" }, uri: { type: "string" } },
  });
  if (positionals.length !== 1) {
    throw new UsageError(`volume list takes one volume, got ${positionals.length} arguments`, "volume");
  }
  const ref = parseVolumeTarget(positionals[0] as string, "volume");
  // Reads only (`qemu-img info -U`): listing works while a domain runs on the image.
  const volume = await resolveVolume(cli.tools(values.uri), ref);
  const { info } = volume;
  const snapshots = info.snapshots.map((snapshot) => ({
    id: snapshot.id,
    name: snapshot.name,
    vmStateSize: snapshot.vmStateSize,
    createdAt: snapshot.createdAt,
  }));

  if (values.json) {
    const report = {
      volume: volume.label,
      path: volume.path,
      format: info.format,
      virtualSize: info.virtualSize,
      snapshots,
    };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT_OK;
  }
  const name = volume.label === volume.path ? volume.path : `${volume.label} (${volume.path})`;
  const count = snapshots.length === 1 ? "1 snapshot" : `${snapshots.length} snapshots`;
  io.stdout.write(`${name}: ${info.format}, ${formatBytes(info.virtualSize)}, ${count}\n`);
  if (snapshots.length > 0) {
    const rows = snapshots.map((snapshot) => [
      snapshot.id,
      snapshot.name,
      formatBytes(snapshot.vmStateSize),
      snapshot.createdAt.replace(/\.\d{3}Z$/, "Z"),
    ]);
    io.stdout.write(`${table(["ID", "NAME", "VM STATE", "DATE"], rows)}\n`);
  }
  return EXIT_OK;
}
