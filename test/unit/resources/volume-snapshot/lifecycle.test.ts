import { describe, expect, it } from "vitest";
import type { CommandRunner } from "../../../../provider/host/command-runner.js";
import {
  createVolumeSnapshot,
  deleteVolumeSnapshot,
  readVolumeSnapshot,
} from "../../../../provider/resources/volume-snapshot/lifecycle.js";
import type { VolumeSnapshotOutputs } from "../../../../provider/resources/volume-snapshot/schema.js";
import { ImageLockedError } from "../../../../provider/tools/qemu-img/errors.js";
import { VolumeInUseError } from "../../../../provider/volumes/volume-errors.js";
import { recordedTools } from "../../../support/host-tools.js";
import { RecordingCommandRunner, type ScriptedRule } from "../../../support/recording-command-runner.js";
import {
  DOMAIN,
  fixture,
  qemuImg,
  REGULAR_FILE_STAT,
  RUNNING_DOMAIN,
  realpath,
  virshRun,
} from "../../volumes/volume-host-script.js";

const URI = "qemu:///system";
const INPUTS = { uri: URI, volume: { path: DOMAIN.base }, name: "pre", adopt: false };

/** The captured qemu-img info of an image with snapshots "first" (id 1) and "second" (id 2). */
const INFO_WITH_SNAPSHOTS = fixture("qemu-img", "info-snapshots.stdout");
const INFO_WITHOUT = fixture("qemu-img", "info-qcow2.stdout");

/** base.qcow2 as a regular qcow2 file, read with info -U. */
function image(info: string): ScriptedRule[] {
  return [
    realpath(true, [DOMAIN.base]),
    { match: (argv) => argv[0] === "stat", answer: { stdout: REGULAR_FILE_STAT } },
    { match: qemuImg("info", { shared: true }), answer: { stdout: info } },
  ];
}

const NO_DOMAINS: ScriptedRule = { match: virshRun("list"), answer: { stdout: "" } };

const writes = (runner: RecordingCommandRunner) =>
  runner.runs.filter((run) => run.argv[0] === "qemu-img" && run.argv[1] === "snapshot");

async function failedCreate(runner: RecordingCommandRunner, inputs = INPUTS): Promise<Error> {
  const error = await createVolumeSnapshot(recordedTools(runner), inputs, { lockWaitMs: 0 }).catch(
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe("createVolumeSnapshot", () => {
  it("refuses an image a running domain has below a disk, naming the domain, and writes nothing", async () => {
    const runner = new RecordingCommandRunner([...image(INFO_WITHOUT), ...RUNNING_DOMAIN]);
    const error = await failedCreate(runner);
    expect(error.message).toMatch(
      new RegExp(
        `^Could not take snapshot "pre" of ${DOMAIN.base}: ${DOMAIN.base} on recorded-host is in use: running domain "${DOMAIN.name}" \\(disk vdb, whose image ${DOMAIN.overlay} has it in its backing chain\\) has it open\\..*DomainSnapshot`,
      ),
    );
    expect(error.cause).toBeInstanceOf(VolumeInUseError);
    expect(writes(runner)).toEqual([]);
  });

  it("reports QEMU's lock as a domain that started after the check, with nothing written", async () => {
    const runner = new RecordingCommandRunner([
      ...image(INFO_WITHOUT),
      NO_DOMAINS,
      { match: qemuImg("info", { shared: false }), answer: { stdout: INFO_WITHOUT } },
      {
        match: qemuImg("snapshot"),
        answer: { exitCode: 1, stderr: fixture("qemu-img", "snapshot-create-locked.stderr") },
      },
    ]);
    const error = await failedCreate(runner);
    expect(error.cause).toBeInstanceOf(ImageLockedError);
    expect(error.message).toBe(
      `Could not take snapshot "pre" of ${DOMAIN.base}: /var/lib/libvirt/images/virtsnap-qemu-img-fixtures/vda.qcow2 ` +
        "on recorded-host is locked by another process (Could not open '/var/lib/libvirt/images/virtsnap-qemu-img-fixtures/vda.qcow2': Failed to get \"write\" lock): " +
        "a domain (or another QEMU) opened it after virtsnap checked that no running domain uses it. Nothing was " +
        "written. Shut that domain down (or snapshot it with DomainSnapshot instead) and try again.",
    );
  });

  it("refuses a name the image already has, before checking domains or writing", async () => {
    const runner = new RecordingCommandRunner(image(INFO_WITH_SNAPSHOTS));
    const error = await failedCreate(runner, { ...INPUTS, name: "second" });
    expect(error.message).toMatch(
      /already has an internal snapshot named "second" \(id 2, taken .*\)\. Set adopt: true to take it over, or choose another name\.$/,
    );
    expect(runner.runs.map((run) => run.argv[0])).toEqual(["realpath", "stat", "qemu-img"]);
  });

  it("takes over a snapshot of that name with adopt, writing nothing", async () => {
    const runner = new RecordingCommandRunner(image(INFO_WITH_SNAPSHOTS));
    const { id, outs } = await createVolumeSnapshot(recordedTools(runner), {
      ...INPUTS,
      name: "second",
      adopt: true,
    });
    expect(id).toBe(`${DOMAIN.base}@second`);
    expect(outs).toMatchObject({ name: "second", snapshotId: "2", adopted: true, path: DOMAIN.base });
    expect(writes(runner)).toEqual([]);
  });

  it("counts a snapshot that appeared although qemu-img failed after writing it as taken", async () => {
    const runner = new RecordingCommandRunner([
      realpath(true, [DOMAIN.base]),
      { match: (argv) => argv[0] === "stat", answer: { stdout: REGULAR_FILE_STAT } },
      NO_DOMAINS,
      { match: qemuImg("snapshot"), answer: {} },
    ]);
    // qemu-img info answers in turn: resolve (-U), the look-up before the write, the look-up after
    // it (a domain took the lock meanwhile), then the re-read with -U that finds the new snapshot.
    const answers = [
      { stdout: INFO_WITHOUT },
      { stdout: INFO_WITHOUT },
      { exitCode: 1, stdout: "", stderr: fixture("qemu-img", "info-locked.stderr") },
      { stdout: INFO_WITH_SNAPSHOTS.replace('"second"', '"pre"') },
    ];
    const host: CommandRunner = {
      host: runner.host,
      run: (argv, options) => {
        if (argv[0] !== "qemu-img" || argv[1] !== "info") return runner.run(argv, options);
        const answer = answers.shift();
        const scripted = new RecordingCommandRunner([
          { match: () => true, answer: answer ?? { exitCode: 1, stderr: "" } },
        ]);
        return scripted.run(argv, options);
      },
    };
    const { outs } = await createVolumeSnapshot(recordedTools(runner, { shell: host }), INPUTS, {
      lockWaitMs: 0,
    });
    expect(outs).toMatchObject({ name: "pre", snapshotId: "2", adopted: false });
    expect(answers).toEqual([]);
  });
});

const STATE: VolumeSnapshotOutputs = {
  ...INPUTS,
  providerVersion: "0.1.0",
  path: DOMAIN.base,
  format: "qcow2",
  virtualSize: 67108864,
  snapshotId: "2",
  createdAt: "2026-11-28T01:00:00.000Z",
  vmStateSize: 0,
  adopted: false,
  name: "second",
};

describe("readVolumeSnapshot", () => {
  it("reports the snapshot as the image lists it now", async () => {
    const runner = new RecordingCommandRunner([
      { match: qemuImg("info", { shared: true }), answer: { stdout: INFO_WITH_SNAPSHOTS } },
    ]);
    const { id, props } = await readVolumeSnapshot(recordedTools(runner), "x", STATE);
    expect(id).toBe("x");
    expect(props).toMatchObject({ name: "second", snapshotId: "2", createdAt: "2026-11-28T01:36:26.920Z" });
  });

  it("reads a missing image or snapshot as gone", async () => {
    for (const answer of [
      { exitCode: 1, stderr: fixture("qemu-img", "info-not-found.stderr") },
      { stdout: INFO_WITHOUT },
    ]) {
      const runner = new RecordingCommandRunner([{ match: qemuImg("info"), answer }]);
      expect(await readVolumeSnapshot(recordedTools(runner), "x", STATE)).toEqual({
        id: "",
        props: {},
      });
    }
  });
});

describe("deleteVolumeSnapshot", () => {
  it("refuses while a running domain uses the image, with the ways out, and writes nothing", async () => {
    const runner = new RecordingCommandRunner([...image(INFO_WITH_SNAPSHOTS), ...RUNNING_DOMAIN]);
    const error = await deleteVolumeSnapshot(recordedTools(runner), STATE).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Could not delete snapshot "second" of ${DOMAIN.base}: .* is in use: running domain "${DOMAIN.name}".*retainOnDelete: true`,
      ),
    );
    expect(writes(runner)).toEqual([]);
  });

  it("succeeds without writing when the image or the snapshot is gone", async () => {
    const gone = new RecordingCommandRunner([
      {
        match: (argv) => argv[0] === "realpath",
        answer: { exitCode: 1, stderr: `realpath: ${DOMAIN.base}: No such file or directory\n` },
      },
    ]);
    await deleteVolumeSnapshot(recordedTools(gone), STATE);
    const noSnapshot = new RecordingCommandRunner(image(INFO_WITHOUT));
    await deleteVolumeSnapshot(recordedTools(noSnapshot), STATE);
    expect([...writes(gone), ...writes(noSnapshot)]).toEqual([]);
  });

  it("deletes by name once no domain uses the image", async () => {
    const runner = new RecordingCommandRunner([
      ...image(INFO_WITH_SNAPSHOTS),
      NO_DOMAINS,
      { match: qemuImg("snapshot"), answer: {} },
    ]);
    await deleteVolumeSnapshot(recordedTools(runner), STATE);
    expect(writes(runner).map((run) => run.argv)).toEqual([
      ["qemu-img", "snapshot", "-d", "second", DOMAIN.base],
    ]);
  });
});
