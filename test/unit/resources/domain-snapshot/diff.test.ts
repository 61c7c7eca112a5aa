import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../../provider/inputs/unknown.js";
import { diffDomainSnapshot } from "../../../../provider/resources/domain-snapshot/diff.js";
import { PROVIDER_VERSION } from "../../../../provider/version.js";

const INPUTS = {
  uri: "qemu:///system",
  domain: "web1",
  name: "s1",
  description: "first",
  disks: { vda: { mode: "external" }, vdb: { mode: "exclude" } },
  memory: "none",
  quiesce: false,
  atomic: true,
  live: false,
  onDelete: "delete",
  adopt: false,
};
/** State as create leaves it: the inputs plus what the host reported. */
const STATE = {
  ...INPUTS,
  providerVersion: PROVIDER_VERSION,
  domainName: "web1",
  domainUuid: "6a8a0f09-5f28-4511-af92-28c9f29c5d48",
  createdAt: "2026-11-28T01:00:00.000Z",
  domainState: "disk-snapshot",
  snapshotDisks: { vda: { mode: "external", file: "/x/vda.s1" }, vdb: { mode: "exclude" } },
  snapshotMemory: { mode: "none" },
  adopted: false,
};

describe("DomainSnapshot diff", () => {
  it.each([
    ["nothing changed", {}, { changes: false, replaces: [], deleteBeforeReplace: false }],
    [
      "a new description updates in place",
      { description: "second" },
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
    [
      "a removed description updates in place",
      { description: undefined },
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
    [
      "onDelete updates in place",
      { onDelete: "metadata-only" },
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
    ["adopt changes nothing", { adopt: true }, { changes: false, replaces: [], deleteBeforeReplace: false }],
    [
      "a disk mode change replaces, deleting first since the name stays",
      { disks: { vda: { mode: "external" }, vdb: { mode: "external" } } },
      { changes: true, replaces: ["disks"], deleteBeforeReplace: true },
    ],
    [
      "a memory change replaces",
      { memory: "internal", disks: undefined },
      { changes: true, replaces: ["disks", "memory"], deleteBeforeReplace: true },
    ],
    [
      "a new name replaces, creating first",
      { name: "s2" },
      { changes: true, replaces: ["name"], deleteBeforeReplace: false },
    ],
    [
      "another domain replaces, creating first",
      { domain: "web2" },
      { changes: true, replaces: ["domain"], deleteBeforeReplace: false },
    ],
    [
      "quiesce replaces",
      { quiesce: true },
      { changes: true, replaces: ["quiesce"], deleteBeforeReplace: true },
    ],
    [
      "an unknown name counts as a new name",
      { name: UNKNOWN },
      { changes: true, replaces: ["name"], deleteBeforeReplace: false },
    ],
    [
      "an unknown description counts as an update",
      { description: UNKNOWN },
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
  ])("%s", (_what, change, expected) => {
    expect(diffDomainSnapshot(STATE, { ...INPUTS, ...change })).toEqual(expected);
  });

  it("treats an omitted default and the default itself as equal", () => {
    const { atomic: _a, quiesce: _q, live: _l, onDelete: _o, adopt: _d, ...withoutDefaults } = INPUTS;
    expect(diffDomainSnapshot(STATE, withoutDefaults).changes).toBe(false);
  });

  it("treats disks listed in another order as equal", () => {
    expect(
      diffDomainSnapshot(STATE, { ...INPUTS, disks: { vdb: { mode: "exclude" }, vda: { mode: "external" } } })
        .changes,
    ).toBe(false);
  });

  it("asks for an update when the state was written by another provider version", () => {
    expect(diffDomainSnapshot({ ...STATE, providerVersion: "0.0.1" }, INPUTS)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
});
