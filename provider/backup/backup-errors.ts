// Why a backup did not happen: refused before anything ran, or failed and rolled back (saying what was undone).
import { messageOf, VirtsnapError } from "../errors.js";
import type { CheckpointRemoval } from "./checkpoints.js";

/** The backup was not started: the domain cannot be backed up as it is. Nothing was written. */
export class BackupRefusedError extends VirtsnapError {
  readonly code = "backup-failed";
}

/** One phase of a backup failed; the message says what, in words that follow "failed: ". */
export class BackupStepError extends VirtsnapError {
  readonly code = "backup-failed";
}

/**
 * A backup that failed after it started, and what its roll-back did: the message says what
 * failed and exactly what was undone (or could not be), and the next `pulumi up` retries.
 */
export class BackupFailedError extends VirtsnapError {
  readonly code = "backup-failed";
  readonly rollBack: RollBack;

  constructor(label: string, cause: unknown, rollBack: RollBack) {
    super(
      `${label} failed: ${messageOf(cause)}. ${describeRollBack(rollBack)} The next \`pulumi up\` tries again.`,
      {
        cause,
      },
    );
    this.rollBack = rollBack;
  }
}

/** What rolling a failed backup back did. */
export interface RollBack {
  /** The checkpoint made for the backup: removed one of two ways, never made, or still there. */
  readonly checkpoint: CheckpointRemoval | "not-made" | "left";
  /** The backup's partial files (and a new chain's directory). */
  readonly files: "removed" | "left";
  /** What could not be undone, and why. */
  readonly notes: readonly string[];
}

/** The roll-back in a sentence or two, for the failure message. */
function describeRollBack(rollBack: RollBack): string {
  const checkpoint = {
    deleted:
      "The checkpoint made for it was deleted (its changes stay tracked by the previous one, nothing is lost)",
    forgotten:
      "libvirt could not merge the checkpoint made for it (its bitmap was broken, or the domain had stopped) " +
      "and forgot it instead, so the next backup may be a full one",
    "not-made": "libvirt had made no checkpoint for it",
    left: "The checkpoint made for it is still on the domain",
  }[rollBack.checkpoint];
  const files =
    rollBack.files === "removed"
      ? "its partial files were removed"
      : "some of its partial files are still there";
  const notes = rollBack.notes.length > 0 ? ` (${rollBack.notes.join("; ")})` : "";
  return `${checkpoint}, ${files} and the manifests were left as they were${notes}.`;
}
