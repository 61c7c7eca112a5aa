// `virtsnap volume revert <path|pool/volume> <snapshot> --yes`: an unused image back to one of its snapshots.
import { parseArgs } from "node:util";
import { ImageLockedError } from "../tools/qemu-img/errors.js";
import type { ImageSnapshot } from "../tools/qemu-img/image-info.js";
import { findImageSnapshot } from "../tools/qemu-img/image-snapshots.js";
import { type ResolvedVolume, resolveVolume } from "../volumes/resolve-volume.js";
import { VolumeError } from "../volumes/volume-errors.js";
import { retryWhileLocked } from "../volumes/volume-lock.js";
import { assertNotInUse } from "../volumes/volume-users.js";
import { type Cli, EXIT_OK, UsageError } from "./io.js";
import { parseVolumeTarget } from "./volume-target.js";

/**
 * Checks, in this order, before anything is written: the volume is a qcow2 image, it has the
 * snapshot, no running domain has it open, and `--yes` was given (a revert discards every write
 * made since the snapshot, so it is never the default).
 */
export async function volumeRevertCommand(args: readonly string[], cli: Cli): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { yes: { type: "boolean" }, uri: { type: "string" } },
  });
  if (positionals.length !== 2) {
    throw new UsageError(
      `volume revert takes a volume and a snapshot, got ${positionals.length} arguments`,
      "volume",
    );
  }
  const [target, wanted] = positionals as [string, string];
  const tools = cli.tools(values.uri);
  const volume = await resolveVolume(tools, parseVolumeTarget(target, "volume"));
  const snapshot = pickSnapshot(volume, tools.files.host, wanted);
  const taken = `'${snapshot.name}' (id ${snapshot.id}, taken ${snapshot.createdAt.replace(/\.\d{3}Z$/, "Z")})`;
  await assertNotInUse(tools, volume);
  if (!values.yes) {
    throw new UsageError(
      `reverting ${volume.label} to snapshot ${taken} discards everything written to the image since ` +
        "that snapshot was taken. Nothing was changed; run again with --yes to revert.",
      "volume",
    );
  }
  try {
    await retryWhileLocked(tools, volume, () => tools.qemuImg.applySnapshot(volume.path, snapshot.name));
  } catch (error) {
    if (!(error instanceof ImageLockedError)) throw error;
    throw new VolumeError(
      `${volume.path} on ${error.host} is locked by another process (${error.reason}): a domain opened it ` +
        "after virtsnap checked that no running domain uses it. Nothing was changed.",
      { volume: volume.label, host: error.host, problem: "locked", cause: error },
    );
  }
  cli.io.stdout.write(`reverted ${volume.label} to snapshot ${taken}\n`);
  return EXIT_OK;
}

/**
 * The snapshot named `wanted` (findImageSnapshot: a name several carry names none), else the one
 * whose id it is.
 */
function pickSnapshot(volume: ResolvedVolume, host: string, wanted: string): ImageSnapshot {
  const snapshots = volume.info.snapshots;
  const where = { path: volume.path, host };
  const picked =
    findImageSnapshot(snapshots, wanted, where) ?? snapshots.find((snapshot) => snapshot.id === wanted);
  if (picked === undefined) {
    const known = snapshots.map((snapshot) => `${snapshot.name} (id ${snapshot.id})`).join(", ");
    throw new VolumeError(
      `${volume.label} has no snapshot named or numbered '${wanted}' (its snapshots: ${known || "none"})`,
      { volume: volume.label, host, problem: "snapshot-not-found" },
    );
  }
  // Asked for by id: its name must name it alone, since qemu-img reverts by name.
  return findImageSnapshot(snapshots, picked.name, where) ?? picked;
}
