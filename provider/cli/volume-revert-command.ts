// `virtsnap volume revert <path|pool/volume> <snapshot> --yes`: an unused image back to one of its snapshots.
import { parseArgs } from "node:util";
import { applyImageSnapshot } from "../tools/qemu-img/commands.js";
import { ImageLockedError } from "../tools/qemu-img/errors.js";
import type { ImageSnapshot } from "../tools/qemu-img/image-info.js";
import { type ResolvedVolume, resolveVolume } from "../volumes/resolve-volume.js";
import { retryWhileLocked } from "../volumes/volume-lock.js";
import { assertNotInUse } from "../volumes/volume-users.js";
import { type CliIo, EXIT_OK, UsageError } from "./io.js";
import { parseVolumeTarget, volumeTools } from "./volume-target.js";

/**
 * Checks, in this order, before anything is written: the volume is a qcow2 image, it has the
 * snapshot, no running domain has it open, and `--yes` was given (a revert discards every write
 * made since the snapshot, so it is never the default).
 */
export async function volumeRevertCommand(args: readonly string[], io: CliIo): Promise<number> {
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
  const tools = volumeTools(io, values.uri);
  const volume = await resolveVolume(tools, parseVolumeTarget(target, "volume"));
  const snapshot = pickSnapshot(volume, wanted);
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
    await retryWhileLocked(tools, volume, () => applyImageSnapshot(tools.host, volume.path, snapshot.name));
  } catch (error) {
    if (!(error instanceof ImageLockedError)) throw error;
    throw new Error(
      `${volume.path} on ${error.host} is locked by another process (${error.reason}): a domain opened it ` +
        "after virtsnap checked that no running domain uses it. Nothing was changed.",
      { cause: error },
    );
  }
  io.stdout.write(`reverted ${volume.label} to snapshot ${taken}\n`);
  return EXIT_OK;
}

/** The snapshot named `wanted`, else the one whose id it is. */
function pickSnapshot(volume: ResolvedVolume, wanted: string): ImageSnapshot {
  const snapshots = volume.info.snapshots;
  const byName = snapshots.filter((snapshot) => snapshot.name === wanted);
  const byId = snapshots.find((snapshot) => snapshot.id === wanted);
  const picked = byName.at(0) ?? byId;
  if (picked === undefined) {
    const known = snapshots.map((snapshot) => `${snapshot.name} (id ${snapshot.id})`).join(", ");
    throw new Error(
      `${volume.label} has no snapshot named or numbered '${wanted}' (its snapshots: ${known || "none"})`,
    );
  }
  // qemu-img reverts by name; with two snapshots of one name it would pick the first.
  if (snapshots.filter((snapshot) => snapshot.name === picked.name).length > 1) {
    throw new Error(
      `${volume.label} has several snapshots named '${picked.name}': revert by hand with ` +
        `\`qemu-img snapshot -a ID ${volume.path}\` after checking that no domain uses it`,
    );
  }
  return picked;
}
