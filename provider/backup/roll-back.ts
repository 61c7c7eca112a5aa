// Phase 4 of a failed backup: put the host back as it was, and say exactly what that did.
import { messageOf } from "../errors.js";
import type { HostTools } from "../tools/host-tools.js";
import type { RollBack } from "./backup-errors.js";
import { chainDirectory } from "./chain-store.js";
import { removeCheckpoint } from "./checkpoints.js";
import type { BackupPlan } from "./plan-backup.js";

/**
 * Undoes a backup attempt. libvirt keeps the checkpoint of a failed or aborted push backup
 * (9.0): it is removed, so its bitmap merges into the parent and the next incremental still
 * covers every change. Then the attempt's files go, and a new chain's (now empty) directory.
 * Never throws: what fails is in the notes.
 */
export async function rollBack(tools: HostTools, plan: BackupPlan): Promise<RollBack> {
  const notes: string[] = [];
  let checkpoint: RollBack["checkpoint"] = "not-made";
  try {
    if ((await tools.virsh.checkpointNames(plan.domain.uuid)).includes(plan.checkpoint)) {
      const removed = await removeCheckpoint(tools, plan.domain, plan.checkpoint);
      checkpoint = removed.how;
      notes.push(...removed.notes);
    }
  } catch (error) {
    checkpoint = "left";
    notes.push(`checkpoint ${plan.checkpoint} could not be deleted: ${messageOf(error)}`);
  }
  let files: RollBack["files"] = "removed";
  try {
    await tools.files.removeFiles(plan.files.map((file) => file.path));
    if (plan.level === "full")
      await tools.files.removeEmptyDirectory(chainDirectory(plan.target.directory, plan.chainId));
  } catch (error) {
    files = "left";
    notes.push(`partial files could not all be removed: ${messageOf(error)}`);
  }
  return { checkpoint, files, notes };
}
