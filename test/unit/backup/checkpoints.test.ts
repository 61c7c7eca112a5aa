import { describe, expect, it } from "vitest";
import { BackupFailedError } from "../../../provider/backup/backup-errors.js";
import { removeCheckpoint } from "../../../provider/backup/checkpoints.js";
import { CheckpointNotFoundError } from "../../../provider/tools/virsh/errors.js";
import { fixture } from "../../support/fixtures.js";
import { recordedTools } from "../../support/host-tools.js";
import { RecordingCommandRunner, type ScriptedRule } from "../../support/recording-command-runner.js";

const DOMAIN = { uuid: "27efe103-8b1c-45aa-b871-e0a5925c7f99" };
const VDA = "/var/lib/libvirt/images/virtsnap-fixtures/vda.qcow2";
const isDelete = (metadata: boolean) => (argv: readonly string[]) =>
  argv.includes("checkpoint-delete") && argv.includes("--metadata") === metadata;

/** qemu-img info of vda showing the checkpoint's bitmap `enabled` (the captured image has two bitmaps). */
const infoWithBitmap: ScriptedRule = {
  match: (argv) => argv[0] === "qemu-img" && argv[1] === "info" && argv.at(-1) === VDA,
  answer: { stdout: fixture("qemu-img", "info-bitmaps.stdout") },
};

/** A stopped domain's answers: delete refused, metadata-only delete, its XML, vda holding the bitmap, `bitmap` answering as given. */
function stoppedDomain(bitmap: ScriptedRule["answer"]): RecordingCommandRunner {
  return new RecordingCommandRunner([
    {
      match: isDelete(false),
      answer: { exitCode: 1, stderr: fixture("virsh", "checkpoint-delete-shutoff.stderr") },
    },
    { match: isDelete(true), answer: {} },
    {
      match: (argv) => argv.includes("dumpxml"),
      answer: { stdout: fixture("virsh", "domain-dumpxml-shutoff.stdout") },
    },
    infoWithBitmap,
    {
      match: (argv) => argv[0] === "qemu-img" && argv[1] === "info",
      answer: { stdout: fixture("qemu-img", "info-qcow2.stdout") },
    },
    { match: (argv) => argv[0] === "qemu-img" && argv[1] === "bitmap", answer: bitmap },
  ]);
}

describe("removeCheckpoint: the one routine backup, retention and destroy delete checkpoints with", () => {
  it("deletes a checkpoint, merging its bitmap, when libvirt can", async () => {
    const runner = new RecordingCommandRunner([{ match: isDelete(false), answer: {} }]);
    expect(await removeCheckpoint(recordedTools(runner), DOMAIN, "enabled")).toEqual({
      how: "deleted",
      notes: [],
    });
    expect(runner.runs).toHaveLength(1);
  });

  it("makes libvirt forget a checkpoint whose bitmap is broken, and touches no image", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: isDelete(false),
        answer: { exitCode: 1, stderr: fixture("virsh", "checkpoint-delete-bitmap-missing.stderr") },
      },
      { match: isDelete(true), answer: {} },
    ]);
    expect(await removeCheckpoint(recordedTools(runner), DOMAIN, "enabled")).toEqual({
      how: "forgotten",
      notes: [],
    });
    expect(runner.runs.map((run) => run.argv[0])).toEqual(["virsh", "virsh"]);
  });

  it("on a stopped domain, forgets the checkpoint and removes its bitmap from the images QEMU left it in", async () => {
    const runner = stoppedDomain({});
    const removed = await removeCheckpoint(recordedTools(runner), DOMAIN, "enabled");
    expect(removed).toEqual({ how: "forgotten", notes: [] });
    const bitmapRuns = runner.runs.filter((run) => run.argv[1] === "bitmap").map((run) => run.argv);
    expect(bitmapRuns).toEqual([["qemu-img", "bitmap", "--remove", "-f", "qcow2", VDA, "enabled"]]);
  });

  it("says which bitmap stays where when it cannot be removed", async () => {
    const runner = stoppedDomain({
      exitCode: 1,
      stderr: fixture("qemu-img", "snapshot-create-locked.stderr"),
    });
    const removed = await removeCheckpoint(recordedTools(runner), DOMAIN, "enabled");
    expect(removed.how).toBe("forgotten");
    expect(removed.notes).toEqual([
      expect.stringMatching(new RegExp(`^bitmap enabled stays in ${VDA}: .*locked`)),
    ]);
  });

  it("throws what no fallback covers, such as a checkpoint that does not exist", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: isDelete(false),
        answer: { exitCode: 1, stderr: fixture("virsh", "checkpoint-delete-not-found.stderr") },
      },
    ]);
    await expect(removeCheckpoint(recordedTools(runner), DOMAIN, "c9")).rejects.toBeInstanceOf(
      CheckpointNotFoundError,
    );
    expect(runner.runs).toHaveLength(1);
  });
});

describe("BackupFailedError", () => {
  const label = "incremental backup 3 of web1 (chain 20261127T030000Z-abcdef)";
  const cause = new Error("the backup job was cancelled");

  it("says the checkpoint was deleted only when the roll-back deleted it", () => {
    const deleted = new BackupFailedError(label, cause, {
      checkpoint: "deleted",
      files: "removed",
      notes: [],
    });
    expect(deleted.message).toBe(
      `${label} failed: the backup job was cancelled. The checkpoint made for it was deleted (its changes stay ` +
        "tracked by the previous one, nothing is lost), its partial files were removed and the manifests were " +
        "left as they were. The next `pulumi up` tries again.",
    );
    expect(deleted).toMatchObject({ code: "backup-failed", cause });
  });

  it.each([
    ["left", "removed", /The checkpoint made for it is still on the domain, its partial files were removed/],
    ["forgotten", "removed", /libvirt could not merge the checkpoint made for it .* and forgot it instead/],
    ["not-made", "left", /libvirt had made no checkpoint for it, some of its partial files are still there/],
  ] as const)("tells the truth when the checkpoint was %s and the files %s", (checkpoint, files, message) => {
    const error = new BackupFailedError(label, cause, { checkpoint, files, notes: ["a note"] });
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(checkpoint === "left" ? /was deleted/ : /^$/);
    expect(error.message).toMatch(/ \(a note\)\. The next `pulumi up` tries again\.$/);
  });
});
