// SnapshotPolicy under the real Pulumi CLI: examples/retention from the packed tarball, run on ten successive nights.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineEvent, OpType, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type KeepCounts, periodsToKeep, retentionWindow } from "../../provider/policy/retention.js";
import { snapshotNames } from "../integration/rig/host.js";
import { createTestDomain, removeTestDomain, type TestDomain } from "../integration/rig/test-domain.js";
import { newStack, previewOps, stateResources, type TestStack } from "./harness.js";
import { installExample } from "./install.js";

/** What `pulumi up` did to each resource, by resource name, "same" left out: the counterpart of previewOps. */
async function upOps(stack: Stack): Promise<Record<string, OpType>> {
  const ops: Record<string, OpType> = {};
  await stack.up({
    onEvent: (event: EngineEvent) => {
      const metadata = event.resOutputsEvent?.metadata;
      if (!metadata || metadata.op === "same" || !metadata.type.startsWith("pulumi-nodejs:dynamic")) return;
      ops[metadata.urn.split("::").at(-1) ?? metadata.urn] = metadata.op;
    },
  });
  return ops;
}

/** The creates and deletes that take the host from `before` to `after`, as previewOps reports them. */
function opsBetween(before: readonly string[], after: readonly string[]): Record<string, OpType> {
  return Object.fromEntries([
    ...after.filter((name) => !before.includes(name)).map((name) => [name, "create" as OpType]),
    ...before.filter((name) => !after.includes(name)).map((name) => [name, "delete" as OpType]),
  ]);
}

// The example's policy (examples/retention/index.ts): component "nightly", UTC, daily 3, weekly 2.
const KEEP: KeepCounts = { daily: 3, weekly: 2 };

/** What the pure retention function says the host holds after a run at `now`, given what it held before. */
function predicted(now: string, keep: KeepCounts, before: readonly string[]): string[] {
  const window = retentionWindow({ now: new Date(now), keep, timeZone: "UTC", prefix: "nightly" });
  return periodsToKeep(window, before)
    .map((period) => period.name)
    .sort();
}

// Ten nights across the end of 2026, which has an ISO week 53: what each `up` creates and deletes.
const NIGHTS: [date: string, creates: string[], deletes: string[]][] = [
  ["2026-12-26", ["nightly-daily-2026-12-26", "nightly-weekly-2026-W52"], []],
  ["2026-12-27", ["nightly-daily-2026-12-27"], []],
  ["2026-12-28", ["nightly-daily-2026-12-28", "nightly-weekly-2026-W53"], []],
  ["2026-12-29", ["nightly-daily-2026-12-29"], ["nightly-daily-2026-12-26"]],
  ["2026-12-30", ["nightly-daily-2026-12-30"], ["nightly-daily-2026-12-27"]],
  ["2026-12-31", ["nightly-daily-2026-12-31"], ["nightly-daily-2026-12-28"]],
  ["2027-01-01", ["nightly-daily-2027-01-01"], ["nightly-daily-2026-12-29"]],
  ["2027-01-02", ["nightly-daily-2027-01-02"], ["nightly-daily-2026-12-30"]],
  ["2027-01-03", ["nightly-daily-2027-01-03"], ["nightly-daily-2026-12-31"]],
  [
    "2027-01-04",
    ["nightly-daily-2027-01-04", "nightly-weekly-2027-W01"],
    ["nightly-daily-2027-01-01", "nightly-weekly-2026-W52"],
  ],
];

describe("examples/retention under the Pulumi CLI", () => {
  let domain: TestDomain;
  let test: TestStack;
  let dir: string;
  /** createdAt of the W53 weekly after each night it was kept: it must never change. */
  const weeklyTakenAt: string[] = [];

  beforeAll(async () => {
    // Shut off: libvirt takes internal disk snapshots in well under a second (qemu-img snapshot).
    domain = await createTestDomain({ running: false, disks: 1, removeAfterTest: false });
    dir = mkdtempSync(join(tmpdir(), "virtsnap-retention-"));
    installExample("retention", dir, inject("tarball"));
    test = await newStack(dir, { domain: domain.name });
  });

  afterAll(async () => {
    await test?.stack.destroy().catch(() => undefined);
    await test?.remove();
    if (domain) await removeTestDomain(domain.name);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** One night: preview, then up; both must do exactly what the policy predicts, and the host must show it. */
  async function night(date: string, creates: string[], deletes: string[]): Promise<void> {
    const now = `${date}T02:00:00Z`;
    await test.stack.setConfig("now", { value: now });
    const before = await snapshotNames(domain.name);
    const expected = opsBetween(before, predicted(now, KEEP, before));
    expect(expected, `the pure function's prediction for ${date}`).toEqual(
      opsBetween(before, [...before.filter((name) => !deletes.includes(name)), ...creates]),
    );

    expect(await previewOps(test.stack), `preview on ${date}`).toEqual(expected);
    expect(await upOps(test.stack), `up on ${date}`).toEqual(expected);
    expect(await snapshotNames(domain.name), `virsh snapshot-list after ${date}`).toEqual(
      predicted(now, KEEP, before),
    );

    const state = await stateResources(test.stack);
    const weekly = state["nightly-weekly-2026-W53"]?.createdAt;
    if (typeof weekly === "string") weeklyTakenAt.push(weekly);
  }

  it("takes and deletes exactly what the preview showed, on each of the first five nights", async () => {
    for (const [date, creates, deletes] of NIGHTS.slice(0, 5)) await night(date, creates, deletes);
  });

  it("does the same on the next five nights, and never replaces a kept snapshot", async () => {
    for (const [date, creates, deletes] of NIGHTS.slice(5)) await night(date, creates, deletes);
    // Taken on Monday 2026-12-28, the first night of week 53, and kept unchanged through 2027-01-04.
    expect(weeklyTakenAt).toHaveLength(8);
    expect(new Set(weeklyTakenAt).size).toBe(1);
    expect(await snapshotNames(domain.name)).toEqual([
      "nightly-daily-2027-01-02",
      "nightly-daily-2027-01-03",
      "nightly-daily-2027-01-04",
      "nightly-weekly-2026-W53",
      "nightly-weekly-2027-W01",
    ]);
  });

  it("exports each kept snapshot with its period", async () => {
    const outputs = await test.stack.outputs();
    expect(outputs.snapshots?.value).toEqual({
      "nightly-daily-2027-01-04": "2027-01-04T00:00:00Z/2027-01-05T00:00:00Z",
      "nightly-weekly-2027-W01": "2027-01-04T00:00:00Z/2027-01-11T00:00:00Z",
      "nightly-daily-2027-01-03": "2027-01-03T00:00:00Z/2027-01-04T00:00:00Z",
      "nightly-daily-2027-01-02": "2027-01-02T00:00:00Z/2027-01-03T00:00:00Z",
      "nightly-weekly-2026-W53": "2026-12-28T00:00:00Z/2027-01-04T00:00:00Z",
    });
    expect(Object.keys(outputs.takenAt?.value ?? {}).sort()).toEqual(await snapshotNames(domain.name));
  });

  it("previews exactly the two older dailies' deletion when keep.daily goes from 3 to 1", async () => {
    await test.stack.setConfig("keep", { value: JSON.stringify({ daily: 1, weekly: 2 }) });
    expect(await previewOps(test.stack)).toEqual({
      "nightly-daily-2027-01-02": "delete",
      "nightly-daily-2027-01-03": "delete",
    });
    expect(await upOps(test.stack)).toEqual({
      "nightly-daily-2027-01-02": "delete",
      "nightly-daily-2027-01-03": "delete",
    });
    expect(await snapshotNames(domain.name)).toEqual([
      "nightly-daily-2027-01-04",
      "nightly-weekly-2026-W53",
      "nightly-weekly-2027-W01",
    ]);
  });

  /** Runs `check` with stack config `key` set to `value`, then puts the good value back. */
  async function withConfig(key: string, value: string, check: () => Promise<void>): Promise<void> {
    const good = (await test.stack.getConfig(key).catch(() => undefined))?.value;
    await test.stack.setConfig(key, { value });
    try {
      await check();
    } finally {
      if (good === undefined) await test.stack.removeConfig(key);
      else await test.stack.setConfig(key, { value: good });
    }
  }

  it.each<[string, string, string, RegExp]>([
    [
      "a negative count",
      "keep",
      JSON.stringify({ daily: -1, weekly: 2 }),
      /property keep\.daily value \{-1\} has a problem: must be 0 or more/,
    ],
    [
      "all counts zero",
      "keep",
      JSON.stringify({ daily: 0, weekly: 0 }),
      /property keep value \{\{"daily":0,"weekly":0\}\} has a problem: keeps nothing: set at least one of hourly, daily, weekly, monthly, yearly above 0/,
    ],
    [
      "an unknown key",
      "keep",
      JSON.stringify({ daily: 1, weekly: 2, fortnightly: 1 }),
      /property keep\.fortnightly value \{1\} has a problem: is not a known property/,
    ],
    [
      "an invalid time zone",
      "timeZone",
      "Mars/Olympus",
      /property timeZone value \{Mars\/Olympus\} has a problem: is not an IANA time zone/,
    ],
    [
      "an invalid now",
      "now",
      "the day after",
      /property now value \{the day after\} has a problem: is not a valid date/,
    ],
  ])("stops `pulumi preview` with a clear message for %s", async (_case, key, value, message) => {
    await withConfig(key, value, async () => {
      const error = await test.stack.preview().catch((caught: Error) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(
        /SnapshotPolicy "nightly" is invalid, so none of its snapshots/,
      );
      expect((error as Error).message).toMatch(message);
    });
  });

  it("stops `pulumi up` the same way, before any snapshot is taken or deleted", async () => {
    const before = await snapshotNames(domain.name);
    // Read as 0, weekly: -1 would delete both weeklies: they must survive the failed run.
    await withConfig("keep", JSON.stringify({ daily: 1, weekly: -1 }), async () => {
      await expect(test.stack.up()).rejects.toThrow(/property keep\.weekly value \{-1\} has a problem/);
    });
    expect(await snapshotNames(domain.name)).toEqual(before);
    expect(Object.keys(await stateResources(test.stack)).sort()).toEqual(before);
  });

  it("deletes every snapshot it kept on `pulumi destroy`", async () => {
    await test.stack.destroy();
    expect(await snapshotNames(domain.name)).toEqual([]);
    expect(await stateResources(test.stack)).toEqual({});
  });
});
