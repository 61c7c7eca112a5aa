// BackupChain diff: a new trigger (or any setting) updates in place; another domain, host or directory replaces.
import { type DiffOutcome, diffInputs } from "../diff-inputs.js";
import { backupChainInputsSchema } from "./schema.js";

export function diffBackupChain(olds: Record<string, unknown>, news: Record<string, unknown>): DiffOutcome {
  return diffInputs(
    backupChainInputsSchema,
    {
      // `trigger` takes the next backup; the others apply from the next backup on.
      inPlace: new Set([
        "trigger",
        "disks",
        "fullEvery",
        "keepChains",
        "verify",
        "deleteBackupsOnDestroy",
        "timeoutMinutes",
      ]),
      ignored: new Set(["adopt"]),
      // The old chains stay on disk; a new resource's chains get new ids, so both can coexist.
      identity: [],
    },
    olds,
    news,
  );
}
