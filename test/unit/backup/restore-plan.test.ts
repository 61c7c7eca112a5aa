import { describe, expect, it } from "vitest";
import { planRestore } from "../../../provider/backup/restore-plan.js";
import { sampleManifest } from "./sample-manifest.js";

describe("planRestore", () => {
  const manifest = sampleManifest(3);

  it("reads the latest backup through its backing files down to the full one", () => {
    const plan = planRestore(manifest, { latest: true });
    expect(plan.backup.sequence).toBe(2);
    expect(plan.disks).toEqual([
      {
        target: "vda",
        top: "0002-inc-vda.qcow2",
        chain: ["0002-inc-vda.qcow2", "0001-inc-vda.qcow2", "0000-full-vda.qcow2"],
      },
      {
        target: "vdb",
        top: "0002-inc-vdb.qcow2",
        chain: ["0002-inc-vdb.qcow2", "0001-inc-vdb.qcow2", "0000-full-vdb.qcow2"],
      },
    ]);
  });

  it.each([
    [{ sequence: 0 }, 0],
    [{ sequence: 1 }, 1],
    [{ time: new Date("2026-11-28T02:30:00Z") }, 1],
    [{ time: new Date("2026-11-28T02:00:00Z") }, 1],
    [{ time: new Date("2030-01-01T00:00:00Z") }, 2],
  ])("finds the backup for %j", (point, sequence) => {
    expect(planRestore(manifest, point).backup.sequence).toBe(sequence);
  });

  it("restores only the disks asked for", () => {
    expect(planRestore(manifest, { sequence: 1 }, ["vdb"]).disks).toEqual([
      { target: "vdb", top: "0001-inc-vdb.qcow2", chain: ["0001-inc-vdb.qcow2", "0000-full-vdb.qcow2"] },
    ]);
  });

  it.each([
    [{ sequence: 7 }, undefined, /has no backup 7: it has 0 to 2/],
    [
      { time: new Date("2026-11-27T00:00:00Z") },
      undefined,
      /no backup completed by 2026-11-27T00:00:00.000Z/,
    ],
    [{ latest: true as const }, ["vdz"], /has no disk vdz: its disks are vda, vdb/],
  ])("explains why %j cannot be restored", (point, disks, message) => {
    expect(() => planRestore(manifest, point, disks)).toThrow(message);
  });
});
