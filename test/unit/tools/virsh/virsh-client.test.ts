import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BackupJobOutcomeUnknownError,
  BackupJobTimeoutError,
} from "../../../../provider/tools/virsh/backup-job.js";
import type { ActiveJobInfo } from "../../../../provider/tools/virsh/domjob-info.js";
import {
  CheckpointExistsError,
  CheckpointNotFoundError,
  DomainNotFoundError,
  DomainNotRunningError,
} from "../../../../provider/tools/virsh/errors.js";
import { fixture } from "../../../support/fixtures.js";
import { recordedTools } from "../../../support/host-tools.js";
import { RecordingCommandRunner, type ScriptedRule } from "../../../support/recording-command-runner.js";

const URI = "qemu:///system";
/** virsh on `URI`, every run answered by `runner`. */
const virshOn = (runner: RecordingCommandRunner, uri = URI) => recordedTools(runner, { uri }).virsh;
const isCurrentJobInfo = (argv: readonly string[]) =>
  argv.includes("domjobinfo") && !argv.includes("--completed");
const isCompletedJobInfo = (argv: readonly string[]) =>
  argv.includes("domjobinfo") && argv.includes("--completed");

/** Answers the current-job polls with `polls` in turn (the last one repeats), and --completed with `completed`. */
function jobRunner(polls: readonly string[], completed: string): RecordingCommandRunner {
  let next = 0;
  const pollRules: ScriptedRule[] = polls.map((stdout, index) => ({
    match: (argv) => {
      if (!isCurrentJobInfo(argv) || next !== index) return false;
      if (index < polls.length - 1) next++;
      return true;
    },
    answer: { stdout },
  }));
  return new RecordingCommandRunner([
    ...pollRules,
    { match: isCompletedJobInfo, answer: { stdout: completed } },
  ]);
}

describe("beginBackup", () => {
  it("hands virsh the backup and checkpoint XML as files and removes them afterwards", async () => {
    const seen: Record<string, string> = {};
    const runner = new RecordingCommandRunner([
      {
        match: (argv) => {
          for (const option of ["--backupxml", "--checkpointxml"]) {
            const file = argv[argv.indexOf(option) + 1];
            if (argv.includes(option) && file !== undefined) seen[option] = readFileSync(file, "utf8");
          }
          return argv.includes("backup-begin");
        },
        answer: { stdout: "Backup started\n" },
      },
    ]);
    await virshOn(runner).beginBackup("web1", "<domainbackup/>", "<domaincheckpoint/>");
    expect(seen).toEqual({ "--backupxml": "<domainbackup/>", "--checkpointxml": "<domaincheckpoint/>" });
    const argv = runner.runs[0]?.argv ?? [];
    expect(() => readFileSync(argv[argv.indexOf("--backupxml") + 1] ?? "")).toThrow(/ENOENT/);
    // libvirt waits up to 30 s for the job lock before refusing: the run must outlast that.
    expect(runner.runs[0]?.options.timeoutMs).toBeGreaterThan(30_000);
  });

  it("runs without --checkpointxml when no checkpoint is asked for", async () => {
    const runner = new RecordingCommandRunner([
      { match: () => true, answer: { stdout: "Backup started\n" } },
    ]);
    await virshOn(runner).beginBackup("web1", "<domainbackup/>");
    expect(runner.runs[0]?.argv).not.toContain("--checkpointxml");
  });

  it("throws CheckpointExistsError when the checkpoint's name is taken", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: () => true,
        answer: { exitCode: 1, stderr: fixture("virsh", "backup-begin-checkpoint-exists.stderr") },
      },
    ]);
    await expect(
      virshOn(runner).beginBackup("web1", "<domainbackup/>", "<domaincheckpoint/>"),
    ).rejects.toThrow(CheckpointExistsError);
  });
});

describe("waitForBackupJob", () => {
  it("reports progress while the job runs and returns how it ended", async () => {
    const runner = jobRunner(
      [fixture("virsh", "domjob-info-running.stdout"), fixture("virsh", "domjob-info-none.stdout")],
      fixture("virsh", "domjob-info-completed.stdout"),
    );
    const progress: ActiveJobInfo[] = [];
    const job = await virshOn(runner).waitForBackupJob("web1", {
      timeoutMs: 10_000,
      pollMs: 1,
      onProgress: (info) => progress.push(info),
    });
    expect(progress).toEqual([expect.objectContaining({ type: "unbounded", dataProcessed: 371195904 })]);
    expect(job).toMatchObject({ type: "completed", operation: "backup", domainStopped: false });
    // The outcome is read without discarding it, so a retry can read it again.
    expect(runner.runs.at(-1)?.argv).toEqual(expect.arrayContaining(["--completed", "--keep-completed"]));
  });

  it("returns the outcome when the job was over before the first poll", async () => {
    const runner = jobRunner(
      [fixture("virsh", "domjob-info-none.stdout")],
      fixture("virsh", "domjob-info-failed.stdout"),
    );
    const job = await virshOn(runner).waitForBackupJob("web1", { timeoutMs: 10_000, pollMs: 1 });
    expect(job).toMatchObject({ type: "failed", errorMessage: "No space left on device" });
    expect(runner.runs).toHaveLength(2);
  });

  it("says the domain stopped when domjobinfo finds it shut off", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: isCurrentJobInfo,
        answer: { exitCode: 1, stderr: fixture("virsh", "domjob-info-shutoff.stderr") },
      },
      {
        match: isCompletedJobInfo,
        answer: { stdout: fixture("virsh", "domjob-info-cancelled-domain-stopped.stdout") },
      },
    ]);
    const job = await virshOn(runner).waitForBackupJob("web1", { timeoutMs: 10_000, pollMs: 1 });
    expect(job).toMatchObject({ type: "cancelled", domainStopped: true });
  });

  // Fake: libvirt losing a job's outcome (libvirtd restarted between polls) cannot be provoked reliably.
  it("fails with BackupJobOutcomeUnknownError when libvirt holds no finished job", async () => {
    const runner = jobRunner(
      [fixture("virsh", "domjob-info-none.stdout")],
      fixture("virsh", "domjob-info-none.stdout"),
    );
    await expect(virshOn(runner).waitForBackupJob("web1", { timeoutMs: 10_000, pollMs: 1 })).rejects.toThrow(
      BackupJobOutcomeUnknownError,
    );
    await expect(virshOn(runner).waitForBackupJob("web1", { timeoutMs: 10_000, pollMs: 1 })).rejects.toThrow(
      /ended, but libvirt reports no finished job instead of its outcome .*take it again/,
    );
  });

  it("fails with BackupJobTimeoutError, naming the progress and the way to stop it, when the job outlasts the limit", async () => {
    const runner = jobRunner([fixture("virsh", "domjob-info-running.stdout")], "");
    const error = await virshOn(runner)
      .waitForBackupJob("web1", { timeoutMs: 30, pollMs: 5 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(BackupJobTimeoutError);
    expect(error.message).toMatch(
      /^The backup job of domain "web1" on recorded-host was still running after 0 s \(371195904 of 1073741824 bytes copied\)\. .*virsh domjobabort web1/,
    );
    expect(error.lastProgress).toMatchObject({ type: "unbounded" });
    expect(runner.runs.some((run) => isCompletedJobInfo(run.argv))).toBe(false);
  });
});

describe("abortJob", () => {
  it("resolves true when a job was aborted and false when none was running", async () => {
    const aborted = new RecordingCommandRunner([{ match: () => true, answer: { stdout: "" } }]);
    expect(await virshOn(aborted).abortJob("web1")).toBe(true);
    const idle = new RecordingCommandRunner([
      { match: () => true, answer: { exitCode: 1, stderr: fixture("virsh", "domjobabort-no-job.stderr") } },
    ]);
    expect(await virshOn(idle).abortJob("web1")).toBe(false);
  });

  it("throws the classified error for any other failure", async () => {
    const runner = new RecordingCommandRunner([
      { match: () => true, answer: { exitCode: 1, stderr: fixture("virsh", "domjob-info-shutoff.stderr") } },
    ]);
    await expect(virshOn(runner).abortJob("web1")).rejects.toThrow(DomainNotRunningError);
  });
});

describe("checkpoint commands", () => {
  it("lists checkpoints parents first and reads one with sizes, without the domain XML", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: (argv) => argv.includes("checkpoint-list"),
        answer: { stdout: fixture("virsh", "checkpoint-list-topological.stdout") },
      },
      {
        match: (argv) => argv.includes("checkpoint-dumpxml"),
        answer: { stdout: fixture("virsh", "checkpoint-dumpxml-size.stdout") },
      },
    ]);
    expect(await virshOn(runner).checkpointNames("web1", { topological: true })).toEqual(["full1", "delta1"]);
    const info = await virshOn(runner).checkpoint("web1", "full1", { size: true });
    expect(info.disks.map((disk) => disk.size)).toEqual([3145728, 1048576]);
    expect(runner.runs[1]?.argv).toEqual(expect.arrayContaining(["--size", "--no-domain"]));
  });

  it("throws CheckpointNotFoundError for a checkpoint the domain does not have", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: () => true,
        answer: { exitCode: 1, stderr: fixture("virsh", "checkpoint-delete-not-found.stderr") },
      },
    ]);
    await expect(virshOn(runner).deleteCheckpoint("web1", "c9")).rejects.toThrow(CheckpointNotFoundError);
    await expect(virshOn(runner).deleteCheckpoint("web1", "c9")).rejects.toThrow(
      "libvirt on recorded-host: Domain checkpoint not found: no domain checkpoint with matching name 'no-such-checkpoint'",
    );
  });
});

describe("VirshClient on a remote host", () => {
  const SSH_URI = "qemu+ssh://root@kvm1.example:2222/system?keyfile=/keys/id";

  it("names the libvirt host of a qemu+ssh URI in a classified failure, not the machine virsh runs on", async () => {
    const runner = new RecordingCommandRunner([
      { match: () => true, answer: { exitCode: 1, stderr: fixture("virsh", "domain-not-found.stderr") } },
    ]);
    const error = await virshOn(runner, SSH_URI)
      .domain("web1")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainNotFoundError);
    expect(error).toMatchObject({ host: "root@kvm1.example", code: "domain-not-found" });
    expect((error as Error).message).toMatch(/^libvirt on root@kvm1\.example: /);
    expect((error as Error).message).not.toMatch(/localhost|recorded-host/);
    // virsh itself ran here, reaching the host through the URI.
    expect(runner.runs[0]?.argv.slice(0, 3)).toEqual(["virsh", "--connect", SSH_URI]);
  });

  it("names that host in a failure no classifier knows, too", async () => {
    const runner = new RecordingCommandRunner([
      { match: () => true, answer: { exitCode: 1, stderr: "error: something libvirt said\n" } },
    ]);
    const error = await virshOn(runner, SSH_URI)
      .snapshotNames("web1")
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "command-failed", host: "root@kvm1.example" });
    expect((error as Error).message).toMatch(
      / on root@kvm1\.example exited with code 1: error: something libvirt said$/,
    );
  });
});
