// VolumeSnapshot create, read, update and delete: qemu-img internal snapshots of images no running domain uses.
import { inputsOf, parseInputsOrThrow } from "../../inputs/check-inputs.js";
import { withoutUndefined } from "../../inputs/plain-data.js";
import { isMissing } from "../../tools/files/host-files.js";
import type { HostTools } from "../../tools/host-tools.js";
import { ImageNotFoundError, ImageSnapshotNotFoundError } from "../../tools/qemu-img/errors.js";
import type { ImageInfo, ImageSnapshot } from "../../tools/qemu-img/image-info.js";
import { describeExistingSnapshot, findImageSnapshot } from "../../tools/qemu-img/image-snapshots.js";
import { PROVIDER_VERSION } from "../../version.js";
import { readImageInfo } from "../../volumes/read-image.js";
import { type ResolvedVolume, resolveVolume } from "../../volumes/resolve-volume.js";
import { VolumeError } from "../../volumes/volume-errors.js";
import { retryWhileLocked } from "../../volumes/volume-lock.js";
import { volumeLabel } from "../../volumes/volume-ref.js";
import { assertNotInUse } from "../../volumes/volume-users.js";
import { ResourceError } from "../resource-error.js";
import { createFailure, deleteFailure } from "./messages.js";
import {
  type VolumeSnapshotInputs,
  type VolumeSnapshotOutputs,
  volumeSnapshotInputsSchema,
} from "./schema.js";

const RESOURCE = "VolumeSnapshot";

/** How the hooks wait for another qemu-img holding the image. */
export interface VolumeSnapshotOptions {
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
  tools: HostTools,
  news: Record<string, unknown>,
  options: VolumeSnapshotOptions = {},
): Promise<CreateOutcome> {
  const inputs = parseInputsOrThrow(volumeSnapshotInputsSchema, news, RESOURCE);
  const what = `snapshot "${inputs.name}" of ${volumeLabel(inputs.volume)}`;
  try {
    const volume = await resolveVolume(tools, inputs.volume);
    const where = { path: volume.path, host: tools.files.host };
    const existing = findImageSnapshot(volume.info.snapshots, inputs.name, where);
    if (existing !== undefined) {
      if (!inputs.adopt) {
        throw new VolumeError(
          `${describeExistingSnapshot(volume.path, where.host, existing)}. Set adopt: true to take it over, or choose another name.`,
          { volume: volume.label, host: where.host, problem: "snapshot-exists" },
        );
      }
      return outcome(inputs, volume.path, volume.info, existing, true);
    }
    await assertNotInUse(tools, volume);
    const snapshot = await takeSnapshot(tools, volume, inputs.name, options);
    return outcome(inputs, volume.path, volume.info, snapshot, false);
  } catch (error) {
    throw createFailure(error, what);
  }
}

/** What the image holds now; a snapshot (or image) that is gone reads as gone (empty id). */
export async function readVolumeSnapshot(
  tools: HostTools,
  id: string,
  state: VolumeSnapshotOutputs,
): Promise<{ id: string; props: VolumeSnapshotOutputs | Record<string, never> }> {
  const found = await readSnapshot(tools, state);
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
  tools: HostTools,
  state: VolumeSnapshotOutputs,
  news: Record<string, unknown>,
): Promise<{ outs: VolumeSnapshotOutputs }> {
  const inputs = parseInputsOrThrow(volumeSnapshotInputsSchema, news, RESOURCE);
  const found = await readSnapshot(tools, state);
  if (found === undefined) {
    throw new ResourceError(
      RESOURCE,
      "update",
      `snapshot "${state.name}" of ${state.path} on ${tools.files.host} is gone: run \`pulumi refresh\`, ` +
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
  tools: HostTools,
  state: VolumeSnapshotOutputs,
  options: VolumeSnapshotOptions = {},
): Promise<void> {
  const what = `snapshot "${state.name}" of ${volumeLabel(state.volume)}`;
  try {
    const path = await tools.files.realPath(state.path).catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (path === undefined) return;
    const { snapshots } = await readImageInfo(tools.qemuImg, path);
    if (!snapshots.some((snapshot) => snapshot.name === state.name)) return;
    const volume = { label: volumeLabel(state.volume), path };
    await assertNotInUse(tools, volume);
    await retryWhileLocked(tools, volume, () => tools.qemuImg.deleteSnapshot(path, state.name), options);
  } catch (error) {
    if (error instanceof ImageSnapshotNotFoundError || error instanceof ImageNotFoundError) return;
    throw deleteFailure(error, what);
  }
}

function volumeSnapshotId(path: string, name: string): string {
  return `${path}@${name}`;
}

/**
 * `qemu-img snapshot -c`, then the snapshot as the image lists it; another qemu-img holding the
 * image (a parallel VolumeSnapshot of it) is waited for. When qemu-img fails after it wrote (the
 * re-read after the write can meet a domain that just took the lock), a snapshot of that name
 * that was not there before is ours: create succeeded.
 */
async function takeSnapshot(
  tools: HostTools,
  volume: ResolvedVolume,
  name: string,
  options: VolumeSnapshotOptions,
): Promise<ImageSnapshot> {
  try {
    return await retryWhileLocked(
      tools,
      volume,
      () => tools.qemuImg.createSnapshot(volume.path, name),
      options,
    );
  } catch (error) {
    const after = await readImageInfo(tools.qemuImg, volume.path).catch(() => undefined);
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
  tools: HostTools,
  state: VolumeSnapshotOutputs,
): Promise<{ info: ImageInfo; snapshot: ImageSnapshot } | undefined> {
  let info: ImageInfo;
  try {
    info = await readImageInfo(tools.qemuImg, state.path);
  } catch (error) {
    if (error instanceof ImageNotFoundError) return undefined;
    throw error;
  }
  const where = { path: state.path, host: tools.files.host, id: state.snapshotId };
  const snapshot = findImageSnapshot(info.snapshots, state.name, where);
  return snapshot === undefined ? undefined : { info, snapshot };
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
