import { describe, expect, it } from "vitest";
import type { ImageSnapshot } from "../../../../provider/tools/qemu-img/image-info.js";
import {
  findImageSnapshot,
  ImageSnapshotAmbiguousError,
} from "../../../../provider/tools/qemu-img/image-snapshots.js";
import { QemuImgClient } from "../../../../provider/tools/qemu-img/qemu-img-client.js";
import { RecordingCommandRunner } from "../../../support/recording-command-runner.js";
import { fixture } from "./fixtures.js";

const where = { path: "/images/a.qcow2", host: "root@kvm1" };

function snapshots(...entries: [id: string, name: string][]): ImageSnapshot[] {
  return entries.map(([id, name]) => ({
    id,
    name,
    vmStateSize: 0,
    createdAt: "2026-11-27T03:00:00.000Z",
    dateSec: 0,
    dateNsec: 0,
    vmClockSec: 0,
    vmClockNsec: 0,
  }));
}

describe("findImageSnapshot: the one rule for which snapshot a name means", () => {
  it.each([
    ["the only snapshot of the name", snapshots(["1", "a"], ["2", "b"]), "b", {}, "2"],
    ["nothing when no snapshot has the name", snapshots(["1", "a"]), "b", {}, undefined],
    ["nothing for an id given as a name", snapshots(["1", "a"]), "1", {}, undefined],
    ["the recorded id among several of the name", snapshots(["1", "a"], ["2", "a"]), "a", { id: "2" }, "2"],
    ["the only one of the name when the recorded id is gone", snapshots(["3", "a"]), "a", { id: "2" }, "3"],
  ])("finds %s", (_what, list, name, options, expected) => {
    expect(findImageSnapshot(list, name, { ...where, ...options })?.id).toBe(expected);
  });

  it("refuses a name several snapshots carry, naming their ids and the image", () => {
    const error = (() => {
      try {
        return findImageSnapshot(snapshots(["1", "a"], ["4", "a"]), "a", where);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ImageSnapshotAmbiguousError);
    expect(error).toMatchObject({ code: "image-snapshot-ambiguous", ids: ["1", "4"], snapshot: "a" });
    expect((error as Error).message).toMatch(
      /^\/images\/a\.qcow2 on root@kvm1 has 2 internal snapshots named 'a' \(ids 1, 4\)/,
    );
  });

  it("keeps QemuImgClient.applySnapshot from reverting to one of two snapshots of a name", async () => {
    const json = JSON.parse(fixture("info-snapshots.stdout"));
    const template = json.snapshots[0];
    json.snapshots = [
      { ...template, id: "1", name: "a" },
      { ...template, id: "2", name: "a" },
    ];
    const runner = new RecordingCommandRunner([
      { match: (argv) => argv[1] === "info", answer: { stdout: JSON.stringify(json) } },
    ]);
    await expect(new QemuImgClient(runner).applySnapshot("/images/a.qcow2", "a")).rejects.toBeInstanceOf(
      ImageSnapshotAmbiguousError,
    );
    expect(runner.runs.map((run) => run.argv[1])).toEqual(["info"]);
  });
});
