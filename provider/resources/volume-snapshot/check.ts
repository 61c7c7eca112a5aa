// VolumeSnapshot check: validates inputs with the schema; never touches a host.
import { type CheckFailure, checkInputs } from "../../inputs/check-inputs.js";
import { volumeSnapshotInputsSchema } from "./schema.js";

export function checkVolumeSnapshot(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const { inputs, failures } = checkInputs(volumeSnapshotInputsSchema, news);
  return { inputs: inputs as Record<string, unknown>, failures };
}
