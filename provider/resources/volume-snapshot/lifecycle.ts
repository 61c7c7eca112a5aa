// VolumeSnapshot create, read, update and delete: qemu-img internal snapshots of images no running domain uses.
import type { CommandRunner } from "../../host/command-runner.js";
import { HostFileError } from "../../host/host-file-errors.js";
import { createImageSnapshot, deleteImageSnapshot } from "../../tools/qemu-img/commands.js";
import { ImageNotFoundError, ImageSnapshotNotFoundError } from "../../tools/qemu-img/errors.js";
import type { ImageInfo, ImageSnapshot } from "../../tools/qemu-img/image-info.js";
import { PROVIDER_VERSION } from "../../version.js";
import { readImageInfo } from "../../volumes/read-image.js";
import { realPath } from "../../volumes/real-paths.js";
import { type ResolvedVolume, resolveVolume, type VolumeTools } from "../../volumes/resolve-volume.js";
import { retryWhileLocked } from "../../volumes/volume-lock.js";
import { volumeLabel } from "../../volumes/volume-ref.js";
import { assertNotInUse } from "../../volumes/volume-users.js";
import { inputsOf, parseInputsOrThrow } from "../check-inputs.js";
import { withoutUndefined } from "../plain-data.js";
import { createFailure, deleteFailure } from "./messages.js";
import {
  type VolumeSnapshotInputs,
  type VolumeSnapshotOutputs,
  volumeSnapshotInputsSchema,
} from "./schema.js";

const RESOURCE = "VolumeSnapshot";

/** The runners the hooks work with: virsh (always here) and the image's host (tests pass their own). */
export interface VolumeSnapshotTools {
  readonly virsh: CommandRunner;
  readonly host: CommandRunner;
  /** How long a write waits for another qemu-img to release the image (default: LOCK_WAIT_MS). */
  readonly lockWaitMs?: number;
}

export interface CreateOutcome {
  readonly id: string;
  readonly outs: VolumeSnapshotOutputs;
}

/**
 * Takes the internal snapshot (or, with `adopt`, takes over one of that name). Before the write:
 * the volume resolves to a qcow2 image file and no running domain has it open (or an image above
 * it). Either the snapshot exists afterwards and its outputs are returned, or nothing was written.
 */
export async function createVolumeSnapshot(
  tools: VolumeSnapshotTools,
  news: Record<string, unknown>,
): Promise<CreateOutcome> {
  const inputs = parseInputsOrThrow(volumeSnapshotInputsSchema, news, RESOURCE);
  const volumeTools: VolumeTools = { ...tools, uri: inputs.uri };
  const what = `snapshot "${inputs.name}" of ${volumeLabel(inputs.volume)}`;
  try {
    const volume = await resolveVolume(volumeTools, inputs.volume);
    const existing = findSnapshot(volume.info.snapshots, inputs.name);
    if (existing !== undefined) {
      if (!inputs.adopt) {
        throw new Error(
          `${volume.path} on ${tools.host.host} already has an internal snapshot named "${inputs.name}" ` +
            `(id ${existing.id}, taken ${existing.createdAt}). Set adopt: true to take it over, or choose another name.`,
        );
      }
      return outcome(inputs, volume.path, volume.info, existing, true);
    }
    await assertNotInUse(volumeTools, volume);
    const snapshot = await takeSnapshot(volumeTools, volume, inputs.name);
    return outcome(inputs, volume.path, volume.info, snapshot, false);
  } catch (error) {
    throw createFailure(error, what);
  }
}

/** What the image holds now; a snapshot (or image) that is gone reads as gone (empty id). */
export async function readVolumeSnapshot(
  tools: VolumeSnapshotTools,
  id: string,
  state: VolumeSnapshotOutputs,
): Promise<{ id: string; props: VolumeSnapshotOutputs | Record<string, never> }> {
  const found = await readSnapshot(tools.host, state);
  if (found === undefined) return { id: "", props: {} };
  return {
    id,
    props: toOutputs(
      inputsOf(volumeSnapshotInputsSchema, state),
      state.path,
      found.info,
      found.snapshot,
      state.adopted,
    ),
  };
}

/** Every input change replaces: an update only rewrites the state of another provider version. */
export async function updateVolumeSnapshot(
  tools: VolumeSnapshotTools,
  state: VolumeSnapshotOutputs,
  news: Record<string, unknown>,
): Promise<{ outs: VolumeSnapshotOutputs }> {
  const inputs = parseInputsOrThrow(volumeSnapshotInputsSchema, news, RESOURCE);
  const found = await readSnapshot(tools.host, state);
  if (found === undefined) {
    throw new Error(
      `snapshot "${state.name}" of ${state.path} on ${tools.host.host} is gone: run \`pulumi refresh\`, ` +
        "then `pulumi up` takes it again",
    );
  }
  return { outs: toOutputs(inputs, state.path, found.info, found.snapshot, state.adopted) };
}

/**
 * Deletes the snapshot from the image. A snapshot or image already gone is success; an image
 * a running domain has open is an error naming the domain (qemu-img must not write to it).
 */
export async function deleteVolumeSnapshot(
  tools: VolumeSnapshotTools,
  state: VolumeSnapshotOutputs,
): Promise<void> {
  const what = `snapshot "${state.name}" of ${volumeLabel(state.volume)}`;
  try {
    const path = await realPath(tools.host, state.path).catch((error: unknown) => {
      if (
        error instanceof HostFileError &&
        (error.reason === "not-found" || error.reason === "not-directory")
      )
        return undefined;
      throw error;
    });
    if (path === undefined) return;
    const { snapshots } = await readImageInfo(tools.host, path);
    if (!snapshots.some((snapshot) => snapshot.name === state.name)) return;
    const volumeTools: VolumeTools = { ...tools, uri: state.uri };
    const volume = { label: volumeLabel(state.volume), path };
    await assertNotInUse(volumeTools, volume);
    await retryWhileLocked(volumeTools, volume, () => deleteImageSnapshot(tools.host, path, state.name));
  } catch (error) {
    if (error instanceof ImageSnapshotNotFoundError || error instanceof ImageNotFoundError) return;
    throw deleteFailure(error, what);
  }
}

export function volumeSnapshotId(path: string, name: string): string {
  return `${path}@${name}`;
}

/**
 * `qemu-img snapshot -c`, then the snapshot as the image lists it; another qemu-img holding the
 * image (a parallel VolumeSnapshot of it) is waited for. When qemu-img fails after it wrote (the
 * re-read after the write can meet a domain that just took the lock), a snapshot of that name
 * that was not there before is ours: create succeeded.
 */
async function takeSnapshot(
  tools: VolumeTools,
  volume: ResolvedVolume,
  name: string,
): Promise<ImageSnapshot> {
  try {
    return await retryWhileLocked(tools, volume, () => createImageSnapshot(tools.host, volume.path, name));
  } catch (error) {
    const after = await readImageInfo(tools.host, volume.path).catch(() => undefined);
    const created = after?.snapshots.find(
      (snapshot) =>
        snapshot.name === name && !volume.info.snapshots.some((before) => before.id === snapshot.id),
    );
    if (created !== undefined) return created;
    throw error;
  }
}

/** The image's info and the state's snapshot in it, or undefined when either is gone. */
async function readSnapshot(
  host: CommandRunner,
  state: VolumeSnapshotOutputs,
): Promise<{ info: ImageInfo; snapshot: ImageSnapshot } | undefined> {
  let info: ImageInfo;
  try {
    info = await readImageInfo(host, state.path);
  } catch (error) {
    if (error instanceof ImageNotFoundError) return undefined;
    throw error;
  }
  const snapshot = findSnapshot(info.snapshots, state.name, state.snapshotId);
  return snapshot === undefined ? undefined : { info, snapshot };
}

/**
 * The snapshot named `name`. qemu-img allows several of one name (virtsnap never makes a second):
 * then the one with `id`, else the newest.
 */
function findSnapshot(
  snapshots: readonly ImageSnapshot[],
  name: string,
  id?: string,
): ImageSnapshot | undefined {
  const named = snapshots.filter((snapshot) => snapshot.name === name);
  return named.find((snapshot) => snapshot.id === id) ?? named.at(-1);
}

function outcome(
  inputs: VolumeSnapshotInputs,
  path: string,
  info: ImageInfo,
  snapshot: ImageSnapshot,
  adopted: boolean,
): CreateOutcome {
  return {
    id: volumeSnapshotId(path, inputs.name),
    outs: toOutputs(inputs, path, info, snapshot, adopted),
  };
}

function toOutputs(
  inputs: VolumeSnapshotInputs,
  path: string,
  info: ImageInfo,
  snapshot: ImageSnapshot,
  adopted: boolean,
): VolumeSnapshotOutputs {
  return withoutUndefined({
    ...inputs,
    providerVersion: PROVIDER_VERSION,
    path,
    format: info.format,
    virtualSize: info.virtualSize,
    snapshotId: snapshot.id,
    createdAt: snapshot.createdAt,
    vmStateSize: snapshot.vmStateSize,
    adopted,
  });
}
