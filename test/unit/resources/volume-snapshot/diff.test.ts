import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../../provider/inputs/unknown.js";
import { diffVolumeSnapshot } from "../../../../provider/resources/volume-snapshot/diff.js";
import { PROVIDER_VERSION } from "../../../../provider/version.js";

const INPUTS = {
  uri: "qemu:///system",
  volume: { pool: "golden", name: "debian-12.qcow2" },
  name: "pre",
  adopt: false,
};
/** State as create leaves it: the inputs plus what qemu-img reported. */
const STATE = {
  ...INPUTS,
  providerVersion: PROVIDER_VERSION,
  path: "/var/lib/libvirt/golden/debian-12.qcow2",
  format: "qcow2",
  virtualSize: 67108864,
  snapshotId: "1",
  createdAt: "2026-11-28T01:00:00.000Z",
  vmStateSize: 0,
  adopted: false,
};

describe("VolumeSnapshot diff", () => {
  it.each([
    ["nothing changed", {}, { changes: false, replaces: [], deleteBeforeReplace: false }],
    ["adopt changes nothing", { adopt: true }, { changes: false, replaces: [], deleteBeforeReplace: false }],
    [
      "the same volume with its keys in another order changes nothing",
      { volume: { name: "debian-12.qcow2", pool: "golden" } },
      { changes: false, replaces: [], deleteBeforeReplace: false },
    ],
    [
      "a new name replaces, the new snapshot first",
      { name: "pre2" },
      { changes: true, replaces: ["name"], deleteBeforeReplace: false },
    ],
    [
      "another volume replaces, the new snapshot first",
      { volume: { path: "/var/lib/libvirt/images/x.qcow2" } },
      { changes: true, replaces: ["volume"], deleteBeforeReplace: false },
    ],
    [
      "another URI with the same volume and name deletes the old snapshot first",
      { uri: "qemu+ssh://root@localhost/system" },
      { changes: true, replaces: ["uri"], deleteBeforeReplace: true },
    ],
    [
      "a name not known yet replaces",
      { name: UNKNOWN },
      { changes: true, replaces: ["name"], deleteBeforeReplace: false },
    ],
  ])("%s", (_what, change, expected) => {
    expect(diffVolumeSnapshot(STATE, { ...INPUTS, ...change })).toEqual(expected);
  });

  it("asks for an update, and nothing else, when another provider version wrote the state", () => {
    expect(diffVolumeSnapshot({ ...STATE, providerVersion: "0.0.1" }, INPUTS)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
});
