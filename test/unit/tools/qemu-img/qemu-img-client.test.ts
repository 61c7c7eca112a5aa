import { describe, expect, it } from "vitest";
import {
  ImageSnapshotExistsError,
  ImageSnapshotNotFoundError,
  UnsupportedFormatError,
} from "../../../../provider/tools/qemu-img/errors.js";
import {
  IMAGE_SNAPSHOT_TIMEOUT_MS,
  LONG_RUN_TIMEOUT_MS,
  QemuImgClient,
} from "../../../../provider/tools/qemu-img/qemu-img-client.js";
import { RecordingCommandRunner } from "../../../support/recording-command-runner.js";
import { exitCode, fixture } from "./fixtures.js";

const IMAGE = "/images/a.qcow2";
const is = (sub: string) => (argv: readonly string[]) => argv[1] === sub;

/** Answers a command as the real qemu-img did in the captured run `name`. */
function answer(name: string) {
  const code = exitCode(name);
  const stdout = fixture(`${name}.stdout`);
  const stderr = fixture(`${name}.stderr`);
  return code === 0 ? { stdout, stderr } : { exitCode: code, stdout, stderr };
}

/** `info` answers with a list of snapshots (ids and names), as qemu-img prints them. */
function infoWith(snapshots: readonly { id: string; name: string }[]) {
  const json = JSON.parse(fixture("info-snapshots.stdout"));
  const template = json.snapshots[0];
  json.snapshots = snapshots.map((snapshot) => ({ ...template, ...snapshot }));
  return { stdout: JSON.stringify(json) };
}

describe("QemuImgClient.check", () => {
  it("returns the report when qemu-img exits 3 for leaked clusters", async () => {
    const runner = new RecordingCommandRunner([{ match: is("check"), answer: answer("check-leaks") }]);
    expect(await new QemuImgClient(runner).check(IMAGE)).toMatchObject({ leaks: 1, clean: false });
    expect(runner.runs[0]?.options.timeoutMs).toBe(LONG_RUN_TIMEOUT_MS);
  });

  it("returns the report when qemu-img exits 2 for corruption", async () => {
    const runner = new RecordingCommandRunner([{ match: is("check"), answer: answer("check-corrupt") }]);
    expect(await new QemuImgClient(runner).check(IMAGE, { timeoutMs: 5 })).toMatchObject({
      corruptions: 2,
      clean: false,
    });
    expect(runner.runs[0]?.options.timeoutMs).toBe(5);
  });

  it("fails when the format has no checks (exit 63)", async () => {
    const runner = new RecordingCommandRunner([{ match: is("check"), answer: answer("check-raw") }]);
    await expect(new QemuImgClient(runner).check(IMAGE)).rejects.toBeInstanceOf(UnsupportedFormatError);
  });
});

describe("QemuImgClient.compare", () => {
  it("returns a difference, not an error, when qemu-img exits 1", async () => {
    const runner = new RecordingCommandRunner([{ match: is("compare"), answer: answer("compare-mismatch") }]);
    expect(await new QemuImgClient(runner).compare("/a", "/b")).toEqual({
      identical: false,
      difference: "content",
      offset: 1048576,
    });
  });
});

describe("QemuImgClient.convert", () => {
  it("asks for progress only when someone listens, and reports it from stdout", async () => {
    const progress = new RecordingCommandRunner([
      { match: is("convert"), answer: answer("convert-progress") },
    ]);
    const seen: number[] = [];
    await new QemuImgClient(progress).convert("/a", "/b", { onProgress: (percent) => seen.push(percent) });
    expect(progress.runs[0]?.argv).toContain("-p");
    expect(seen.at(0)).toBe(0);
    expect(seen.at(-1)).toBe(100);

    const quiet = new RecordingCommandRunner([{ match: is("convert"), answer: {} }]);
    await new QemuImgClient(quiet).convert("/a", "/b");
    expect(quiet.runs[0]?.argv).not.toContain("-p");
  });
});

describe("QemuImgClient.createSnapshot", () => {
  it("refuses a name the image already has, running nothing that writes", async () => {
    const runner = new RecordingCommandRunner([
      { match: is("info"), answer: infoWith([{ id: "1", name: "nightly" }]) },
    ]);
    const error = await new QemuImgClient(runner)
      .createSnapshot(IMAGE, "nightly")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageSnapshotExistsError);
    expect(error).toMatchObject({ snapshot: "nightly", path: IMAGE, host: "recorded-host" });
    expect(runner.runs.map((run) => run.argv[1])).toEqual(["info"]);
  });
});

describe("QemuImgClient.applySnapshot", () => {
  it("applies by name when no snapshot id looks like the name", async () => {
    const runner = new RecordingCommandRunner([
      { match: is("info"), answer: infoWith([{ id: "1", name: "before" }]) },
      { match: is("snapshot"), answer: {} },
    ]);
    await new QemuImgClient(runner).applySnapshot(IMAGE, "before");
    expect(runner.runs[1]?.argv).toEqual(["qemu-img", "snapshot", "-a", "before", IMAGE]);
    expect(runner.runs[1]?.options.timeoutMs).toBe(IMAGE_SNAPSHOT_TIMEOUT_MS);
  });

  it("applies by id when the name is another snapshot's id, which qemu-img would pick first", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: is("info"),
        answer: infoWith([
          { id: "1", name: "x" },
          { id: "2", name: "1" },
        ]),
      },
      { match: is("snapshot"), answer: {} },
    ]);
    await new QemuImgClient(runner).applySnapshot(IMAGE, "1");
    expect(runner.runs[1]?.argv).toEqual(["qemu-img", "snapshot", "-a", "2", IMAGE]);
  });

  it("fails without touching the image when the name does not exist", async () => {
    const runner = new RecordingCommandRunner([
      { match: is("info"), answer: infoWith([{ id: "2", name: "x" }]) },
    ]);
    // Passed through, "2" would have reverted to snapshot x.
    await expect(new QemuImgClient(runner).applySnapshot(IMAGE, "2")).rejects.toBeInstanceOf(
      ImageSnapshotNotFoundError,
    );
    expect(runner.runs).toHaveLength(1);
  });
});
