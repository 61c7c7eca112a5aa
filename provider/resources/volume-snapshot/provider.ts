// The VolumeSnapshot dynamic provider: a plain object whose hooks only call helper modules.
// Pulumi serializes this object into the stack state; see docs/design.md ("Pulumi facts") for why
// nothing here may touch zod, execa or fast-xml-parser directly or hold a class instance.
import type * as pulumi from "@pulumi/pulumi";
import { connect } from "../connect.js";
import { checkVolumeSnapshot } from "./check.js";
import { diffVolumeSnapshot } from "./diff.js";
import {
  createVolumeSnapshot,
  deleteVolumeSnapshot,
  readVolumeSnapshot,
  updateVolumeSnapshot,
} from "./lifecycle.js";
import type { VolumeSnapshotOutputs } from "./schema.js";

export const volumeSnapshotProvider: pulumi.dynamic.ResourceProvider = {
  check: async (_olds: Record<string, unknown>, news: Record<string, unknown>) => checkVolumeSnapshot(news),
  diff: async (_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) =>
    diffVolumeSnapshot(olds, news),
  create: async (inputs: Record<string, unknown>) =>
    createVolumeSnapshot(connect(String(inputs.uri)), inputs),
  read: async (id: string, props?: VolumeSnapshotOutputs) => {
    if (props === undefined)
      throw new Error("VolumeSnapshot cannot be read without its state (import is not supported)");
    return readVolumeSnapshot(connect(props.uri), id, props);
  },
  update: async (_id: string, olds: VolumeSnapshotOutputs, news: Record<string, unknown>) =>
    updateVolumeSnapshot(connect(olds.uri), olds, news),
  delete: async (_id: string, props: VolumeSnapshotOutputs) =>
    deleteVolumeSnapshot(connect(props.uri), props),
};
