// From `{ path }` or `{ pool, name }` to a qcow2 image file on the host, or a VolumeError saying why not.
import { isMissing } from "../tools/files/host-files.js";
import type { HostTools } from "../tools/host-tools.js";
import type { ImageInfo } from "../tools/qemu-img/image-info.js";
import {
  StoragePoolInactiveError,
  StoragePoolNotFoundError,
  StorageVolumeNotFoundError,
} from "../tools/virsh/errors.js";
import { readImageInfo } from "./read-image.js";
import { VolumeError } from "./volume-errors.js";
import { type VolumeRef, volumeLabel } from "./volume-ref.js";

/** A qcow2 image found on the host. */
export interface ResolvedVolume {
  readonly ref: VolumeRef;
  /** The volume as the user named it: its path, or `pool/name`. */
  readonly label: string;
  /** The image's canonical path on the host (symbolic links resolved). */
  readonly path: string;
  /** `qemu-img info -U` of the image, read when it was resolved. */
  readonly info: ImageInfo;
}

/**
 * Finds the image a volume names and checks that qemu-img can keep internal snapshots in it:
 * a regular file in qcow2 format, without an external data file or encryption. Reads only:
 * `vol-path`, `realpath`, `stat` and `qemu-img info -U` (which works on images a domain holds).
 */
export async function resolveVolume(tools: HostTools, ref: VolumeRef): Promise<ResolvedVolume> {
  const label = volumeLabel(ref);
  const host = tools.files.host;
  const fail = (problem: VolumeError["problem"], message: string, cause?: unknown) =>
    new VolumeError(message, { volume: label, host, problem, cause });

  const given = "path" in ref ? ref.path : await poolVolumePath(tools, ref);
  if (!given.startsWith("/")) {
    throw fail(
      "not-a-file",
      `volume ${label} is ${given}, not a file on the host (a network volume): VolumeSnapshot works on ` +
        "qcow2 image files, such as the volumes of dir, fs and netfs pools",
    );
  }
  let path: string;
  try {
    path = await tools.files.realPath(given);
  } catch (error) {
    if (isMissing(error)) throw fail("not-found", `${given} does not exist on ${host}`, error);
    throw error;
  }
  const file = await tools.files.stat(path);
  if (file.type !== "file") {
    throw fail(
      "not-a-file",
      file.type === "directory"
        ? `${path} on ${host} is a directory, not an image file`
        : `${path} on ${host} is not a regular file (a block or character device, such as an LVM ` +
            "volume?): VolumeSnapshot supports qcow2 image files only; block-device backends are not supported",
    );
  }
  const info = await readImageInfo(tools.qemuImg, path);
  const where = `${path === given ? path : `${given} (${path})`} on ${host}`;
  if (info.format !== "qcow2") {
    throw fail(
      "not-qcow2",
      `${where} is a ${info.format} image: VolumeSnapshot needs qcow2 (internal snapshots live inside the ` +
        `qcow2 image). Convert a copy with \`qemu-img convert -O qcow2 ${path} NEW.qcow2\` and use that.`,
    );
  }
  if (info.qcow2?.dataFile !== undefined) {
    throw fail(
      "unsupported",
      `${where} keeps its data in the external file ${info.qcow2.dataFile}, and QEMU cannot take internal ` +
        "snapshots of such images",
    );
  }
  if (info.encrypted) {
    throw fail(
      "unsupported",
      `${where} is encrypted: virtsnap does not handle image secrets, so it cannot snapshot it`,
    );
  }
  if (info.qcow2?.corrupt) {
    throw fail(
      "unsupported",
      `QEMU has marked ${where} corrupt: see \`qemu-img check ${path}\`; repair a copy with ` +
        "`qemu-img check -r all`, or restore the image from a backup",
    );
  }
  return { ref, label, path, info };
}

/** The file behind a pool's volume, with the pools or volumes that do exist when it is not found. */
async function poolVolumePath(tools: HostTools, ref: { pool: string; name: string }): Promise<string> {
  const label = volumeLabel(ref);
  const uri = tools.host.uri;
  const fail = (problem: VolumeError["problem"], message: string, cause: unknown) =>
    new VolumeError(message, { volume: label, host: tools.files.host, problem, cause });
  try {
    return await tools.virsh.volumePath(ref.pool, ref.name);
  } catch (error) {
    if (error instanceof StoragePoolNotFoundError) {
      const pools = await tools.virsh.pools({ all: true }).catch(() => undefined);
      throw fail(
        "pool-not-found",
        `storage pool '${ref.pool}' does not exist on ${uri}${listed("pools there", pools)}. ` +
          "`virsh pool-list --all` lists them.",
        error,
      );
    }
    if (error instanceof StoragePoolInactiveError) {
      throw fail(
        "pool-inactive",
        `storage pool '${ref.pool}' on ${uri} is not active: start it with \`virsh pool-start ${ref.pool}\``,
        error,
      );
    }
    if (error instanceof StorageVolumeNotFoundError) {
      const volumes = await tools.virsh.poolVolumes(ref.pool).catch(() => undefined);
      throw fail(
        "not-found",
        `storage pool '${ref.pool}' on ${uri} has no volume '${ref.name}'` +
          `${listed(
            "its volumes",
            volumes?.map((volume) => volume.name),
          )}. A file copied into the pool's ` +
          `directory behind libvirt's back appears after \`virsh pool-refresh ${ref.pool}\`.`,
        error,
      );
    }
    throw error;
  }
}

/** ` (pools there: a, b)`, ` (pools there: none)`, or nothing when the list could not be read. */
function listed(what: string, names: readonly string[] | undefined): string {
  if (names === undefined) return "";
  const shown = names.length > 20 ? [...names.slice(0, 20), `and ${names.length - 20} more`] : names;
  return ` (${what}: ${shown.join(", ") || "none"})`;
}
