import { describe, expect, it } from "vitest";
import { checkpointName } from "../../../provider/backup/naming.js";
import {
  type ChainSummary,
  chainsToPrune,
  checkpointsToDelete,
  planNextBackup,
} from "../../../provider/backup/retention.js";

const chain = (backups: number, disks = ["vda", "vdb"]): ChainSummary => ({
  chainId: "20261128T010000Z-aaaaaa",
  backups,
  disks,
  lastCheckpoint: checkpointName("20261128T010000Z-aaaaaa", backups - 1),
});

describe("planNextBackup", () => {
  it.each([
    ["no chain yet", undefined, 7, ["vda", "vdb"], undefined, "full", /first backup/],
    [
      "a chain shorter than fullEvery",
      chain(1),
      7,
      ["vda", "vdb"],
      undefined,
      "incremental",
      /incremental 1 of chain/,
    ],
    [
      "a chain one short of fullEvery",
      chain(6),
      7,
      ["vda", "vdb"],
      undefined,
      "incremental",
      /incremental 6/,
    ],
    [
      "a chain at fullEvery",
      chain(7),
      7,
      ["vda", "vdb"],
      undefined,
      "full",
      /has 7 backups \(fullEvery: 7\)/,
    ],
    ["fullEvery 1: every backup full", chain(1), 1, ["vda", "vdb"], undefined, "full", /fullEvery: 1/],
    [
      "other disks than the chain's",
      chain(2),
      7,
      ["vda"],
      undefined,
      "full",
      /disks to back up changed \(vda, vdb → vda\)/,
    ],
    [
      "the same disks in another order",
      chain(2, ["vdb", "vda"]),
      7,
      ["vda", "vdb"],
      undefined,
      "incremental",
      /incremental 2/,
    ],
    [
      "a missing checkpoint",
      chain(2),
      7,
      ["vda", "vdb"],
      "checkpoint x is missing",
      "full",
      /checkpoint x is missing: a new chain/,
    ],
  ])("plans a backup after %s", (_what, latest, fullEvery, disks, checkpointProblem, level, reason) => {
    const plan = planNextBackup({ latest, fullEvery, disks, checkpointProblem });
    expect(plan.level).toBe(level);
    expect(plan.reason).toMatch(reason);
  });

  it("continues the chain from its last checkpoint with the next sequence", () => {
    expect(planNextBackup({ latest: chain(3), fullEvery: 7, disks: ["vda", "vdb"] })).toMatchObject({
      level: "incremental",
      chainId: "20261128T010000Z-aaaaaa",
      sequence: 3,
      incrementalFrom: "virtsnap.20261128T010000Z-aaaaaa.0002",
    });
  });
});

describe("chainsToPrune", () => {
  it.each([
    [[], 2, []],
    [["a"], 2, []],
    [["a", "b"], 2, []],
    [["a", "b", "c"], 2, ["a"]],
    [["a", "b", "c", "d"], 2, ["a", "b"]],
    [["a", "b", "c"], 1, ["a", "b"]],
  ])("prunes %j keeping %i: %j", (chains, keep, expected) => {
    expect(chainsToPrune(chains, keep)).toEqual(expected);
  });
});

describe("checkpointsToDelete", () => {
  it("deletes only older chains' checkpoints that this resource owns", () => {
    const old = "20261120T000000Z-111111";
    const current = "20261127T000000Z-222222";
    const foreign = "20261121T000000Z-333333";
    const checkpoints = [
      checkpointName(old, 0),
      checkpointName(old, 1),
      checkpointName(current, 0),
      checkpointName(foreign, 0),
      "virtnbdbackup.0",
      "manual-checkpoint",
    ];
    expect(checkpointsToDelete(checkpoints, [old, current], current)).toEqual([
      checkpointName(old, 0),
      checkpointName(old, 1),
    ]);
  });
});

describe("fullEvery and keepChains over many triggers", () => {
  /** Runs the planner and the pruning as the resource does, with every checkpoint intact. */
  function simulate(triggers: number, fullEvery: number, keepChains: number): number[][] {
    const chains: { id: string; backups: number }[] = [];
    for (let trigger = 0; trigger < triggers; trigger++) {
      const latest = chains.at(-1);
      const plan = planNextBackup({
        latest: latest && {
          chainId: latest.id,
          backups: latest.backups,
          disks: ["vda"],
          lastCheckpoint: "c",
        },
        fullEvery,
        disks: ["vda"],
      });
      if (plan.level === "full") chains.push({ id: `chain${trigger}`, backups: 1 });
      else if (latest) latest.backups++;
      for (const id of chainsToPrune(
        chains.map((c) => c.id),
        keepChains,
      )) {
        chains.splice(
          chains.findIndex((c) => c.id === id),
          1,
        );
      }
    }
    return [chains.map((c) => c.backups)];
  }

  it.each([
    [1, 3, 2, [[1]]],
    [3, 3, 2, [[3]]],
    [4, 3, 2, [[3, 1]]],
    [7, 3, 2, [[3, 1]]],
    [12, 3, 2, [[3, 3]]],
    [11, 4, 3, [[4, 4, 3]]],
    [10, 1, 2, [[1, 1]]],
    [10, 7, 2, [[7, 3]]],
  ])(
    "after %i triggers with fullEvery %i and keepChains %i the chains hold %j backups",
    (triggers, fullEvery, keep, expected) => {
      expect(simulate(triggers, fullEvery, keep)).toEqual(expected);
    },
  );
});
