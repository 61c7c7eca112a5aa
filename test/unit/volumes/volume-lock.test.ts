import { describe, expect, it } from "vitest";
import { CommandError } from "../../../provider/host/errors.js";
import { classifyQemuImgError, ImageLockedError } from "../../../provider/tools/qemu-img/errors.js";
import { VolumeInUseError } from "../../../provider/volumes/volume-errors.js";
import { retryWhileLocked } from "../../../provider/volumes/volume-lock.js";
import { recordedTools } from "../../support/host-tools.js";
import { RecordingCommandRunner } from "../../support/recording-command-runner.js";
import { DOMAIN, fixture, RUNNING_DOMAIN, virshRun } from "./volume-host-script.js";

const URI = "qemu:///system";

/** The ImageLockedError real qemu-img's `snapshot -c` stderr classifies as. */
function locked(): unknown {
  const argv = ["qemu-img", "snapshot", "-c", "s", DOMAIN.base];
  const failure = {
    argv,
    exitCode: 1,
    stdout: "",
    stderr: fixture("qemu-img", "snapshot-create-locked.stderr"),
    host: "localhost",
  };
  return classifyQemuImgError(new CommandError(CommandError.describe(failure), failure));
}

/** A write that fails with `failures` in turn, then returns "written". */
function scriptedWrite(failures: unknown[]) {
  const write = async () => {
    write.calls++;
    const next = failures.shift();
    if (next !== undefined) throw next;
    return "written";
  };
  write.calls = 0;
  return write;
}

const VOLUME = { label: "golden/base.qcow2", path: DOMAIN.base };

describe("retryWhileLocked", () => {
  it("waits out another qemu-img, checking before each retry that no domain took the image", async () => {
    const runner = new RecordingCommandRunner([{ match: virshRun("list"), answer: { stdout: "" } }]);
    const write = scriptedWrite([locked(), locked()]);
    expect(await retryWhileLocked(recordedTools(runner, { uri: URI }), VOLUME, write)).toBe("written");
    expect(write.calls).toBe(3);
    expect(runner.runs.map((run) => run.argv.at(-1))).toEqual(["--uuid", "--uuid"]);
  });

  it("stops waiting with the domain's name when a running domain took the image", async () => {
    const runner = new RecordingCommandRunner(RUNNING_DOMAIN);
    const write = scriptedWrite([locked()]);
    await expect(retryWhileLocked(recordedTools(runner, { uri: URI }), VOLUME, write)).rejects.toBeInstanceOf(
      VolumeInUseError,
    );
    expect(write.calls).toBe(1);
  });

  it("gives up with the lock error when the lock outlasts the wait", async () => {
    const runner = new RecordingCommandRunner([{ match: virshRun("list"), answer: { stdout: "" } }]);
    const write = scriptedWrite([locked(), locked(), locked(), locked(), locked()]);
    const started = Date.now();
    await expect(
      retryWhileLocked(recordedTools(runner, { uri: URI }), VOLUME, write, { lockWaitMs: 500 }),
    ).rejects.toBeInstanceOf(ImageLockedError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(write.calls).toBeGreaterThanOrEqual(2);
  });

  it("does not retry other failures", async () => {
    const runner = new RecordingCommandRunner();
    const write = scriptedWrite([new Error("disk full")]);
    await expect(retryWhileLocked(recordedTools(runner, { uri: URI }), VOLUME, write)).rejects.toThrow(
      "disk full",
    );
    expect(write.calls).toBe(1);
    expect(runner.runs).toEqual([]);
  });
});
