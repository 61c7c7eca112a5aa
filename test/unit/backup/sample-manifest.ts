// A consistent three-backup manifest for the backup unit tests.
import type { Manifest } from "../../../provider/backup/manifest.js";
import { backupFileName, checkpointName } from "../../../provider/backup/naming.js";

const CHAIN = "20261128T010203Z-abcdef";

export function sampleManifest(backups = 3): Manifest {
  return {
    format: "virtsnap-backup-chain",
    version: 1,
    chainId: CHAIN,
    domain: { name: "web1", uuid: "6a8a0f09-5f28-4511-af92-28c9f29c5d48" },
    createdAt: "2026-11-28T01:02:03.000Z",
    disks: ["vda", "vdb"],
    backups: Array.from({ length: backups }, (_, sequence) => ({
      sequence,
      level: sequence === 0 ? ("full" as const) : ("incremental" as const),
      checkpoint: checkpointName(CHAIN, sequence),
      incrementalFrom: sequence === 0 ? null : checkpointName(CHAIN, sequence - 1),
      startedAt: `2026-11-28T0${sequence}:59:00.000Z`,
      completedAt: `2026-11-28T0${sequence + 1}:00:00.000Z`,
      reason: sequence === 0 ? "first backup" : `incremental ${sequence}`,
      copiedBytes: sequence === 0 ? 134217728 : 1048576,
      disks: ["vda", "vdb"].map((target) => ({
        target,
        file: backupFileName(sequence, sequence === 0 ? "full" : "incremental", target),
        backingFile:
          sequence === 0
            ? null
            : backupFileName(sequence - 1, sequence === 1 ? "full" : "incremental", target),
        virtualSize: 67108864,
        fileSize: 200704,
      })),
    })),
  };
}
