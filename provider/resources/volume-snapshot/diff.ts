// VolumeSnapshot diff: every change replaces; the old snapshot goes first when the new one would take its name.
import { type DiffOutcome, diffInputs } from "../diff-inputs.js";
import { volumeSnapshotInputsSchema } from "./schema.js";

export function diffVolumeSnapshot(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffOutcome {
  return diffInputs(
    volumeSnapshotInputsSchema,
    {
      inPlace: new Set(),
      ignored: new Set(["adopt"]),
      // The same name in the same image (only the URI changed): the old snapshot must go before
      // the new one can be taken. Another image or another name can coexist with the old one.
      identity: ["volume", "name"],
    },
    olds,
    news,
  );
}
