import { describe, expect, it } from "vitest";
import {
  type KeepCounts,
  periodsToKeep,
  type RetainedPeriod,
  retentionWindow,
} from "../../../provider/policy/retention.js";

const names = (periods: readonly RetainedPeriod[]) => periods.map((period) => period.name);
const windowAt = (now: string, keep: KeepCounts, timeZone = "UTC") =>
  retentionWindow({ now: new Date(now), keep, timeZone, prefix: "p" });

describe("retentionWindow", () => {
  // [case, now (UTC instant), keep, time zone, names newest first]
  const CASES: [string, string, KeepCounts, string, string[]][] = [
    [
      "three days in UTC",
      "2026-11-27T03:00:00Z",
      { daily: 3 },
      "UTC",
      ["p-daily-2026-11-27", "p-daily-2026-11-26", "p-daily-2026-11-25"],
    ],
    [
      "now exactly at midnight: the new day",
      "2026-11-28T00:00:00Z",
      { daily: 1 },
      "UTC",
      ["p-daily-2026-11-28"],
    ],
    [
      "the last millisecond of a day",
      "2026-11-27T23:59:59.999Z",
      { daily: 1 },
      "UTC",
      ["p-daily-2026-11-27"],
    ],
    [
      "now exactly at Monday 00:00: the new ISO week",
      "2026-11-30T00:00:00Z",
      { weekly: 1 },
      "UTC",
      ["p-weekly-2026-W49"],
    ],
    ["the last second of a Sunday", "2026-11-29T23:59:59Z", { weekly: 1 }, "UTC", ["p-weekly-2026-W48"]],
    [
      "now exactly at the top of an hour",
      "2026-11-27T13:00:00Z",
      { hourly: 2 },
      "UTC",
      ["p-hourly-2026-11-27T13+0000", "p-hourly-2026-11-27T12+0000"],
    ],
    [
      "ISO week 53: 2027-01-01 is in 2026-W53",
      "2027-01-01T12:00:00Z",
      { weekly: 3 },
      "UTC",
      ["p-weekly-2026-W53", "p-weekly-2026-W52", "p-weekly-2026-W51"],
    ],
    [
      "the first ISO week of 2027 follows 2026-W53",
      "2027-01-04T00:00:00Z",
      { weekly: 2 },
      "UTC",
      ["p-weekly-2027-W01", "p-weekly-2026-W53"],
    ],
    [
      "2025-12-29 is in ISO week-year 2026",
      "2025-12-29T08:00:00Z",
      { weekly: 2 },
      "UTC",
      ["p-weekly-2026-W01", "p-weekly-2025-W52"],
    ],
    [
      "years across New Year",
      "2027-01-01T00:00:00Z",
      { yearly: 3 },
      "UTC",
      ["p-yearly-2027", "p-yearly-2026", "p-yearly-2025"],
    ],
    [
      "New Year already in Berlin, not yet in UTC",
      "2026-12-31T23:30:00Z",
      { yearly: 1, daily: 1 },
      "Europe/Berlin",
      ["p-daily-2027-01-01", "p-yearly-2027"],
    ],
    [
      "New Year in UTC, not yet in New York",
      "2027-01-01T03:00:00Z",
      { yearly: 1, daily: 1 },
      "America/New_York",
      ["p-daily-2026-12-31", "p-yearly-2026"],
    ],
    [
      "months back from the 31st",
      "2026-03-31T12:00:00Z",
      { monthly: 3 },
      "UTC",
      ["p-monthly-2026-03", "p-monthly-2026-02", "p-monthly-2026-01"],
    ],
    [
      "days back across the end of February",
      "2026-03-01T06:00:00Z",
      { daily: 3 },
      "UTC",
      ["p-daily-2026-03-01", "p-daily-2026-02-28", "p-daily-2026-02-27"],
    ],
    [
      "days back across the end of February in a leap year",
      "2028-03-01T06:00:00Z",
      { daily: 2 },
      "UTC",
      ["p-daily-2028-03-01", "p-daily-2028-02-29"],
    ],
    [
      "months back across New Year",
      "2027-01-15T00:00:00Z",
      { monthly: 2 },
      "UTC",
      ["p-monthly-2027-01", "p-monthly-2026-12"],
    ],
    [
      "Berlin, clocks go back: 02:00 twice, each its own hour",
      "2026-10-25T01:30:00Z",
      { hourly: 3 },
      "Europe/Berlin",
      ["p-hourly-2026-10-25T02+0100", "p-hourly-2026-10-25T02+0200", "p-hourly-2026-10-25T01+0200"],
    ],
    [
      "Berlin, clocks go forward: there is no 02:00",
      "2026-03-29T01:30:00Z",
      { hourly: 3 },
      "Europe/Berlin",
      ["p-hourly-2026-03-29T03+0200", "p-hourly-2026-03-29T01+0100", "p-hourly-2026-03-29T00+0100"],
    ],
    [
      "New York, the evening of the day clocks went back",
      "2026-11-02T04:30:00Z",
      { daily: 2 },
      "America/New_York",
      ["p-daily-2026-11-01", "p-daily-2026-10-31"],
    ],
    [
      "Kiritimati (UTC+14) is already on the next day",
      "2026-11-27T12:00:00Z",
      { daily: 1 },
      "Pacific/Kiritimati",
      ["p-daily-2026-11-28"],
    ],
    [
      "a Monday: the newest daily and the newest weekly start together, daily listed first",
      "2026-11-30T02:00:00Z",
      { daily: 2, weekly: 2, monthly: 1 },
      "UTC",
      [
        "p-daily-2026-11-30",
        "p-weekly-2026-W49",
        "p-daily-2026-11-29",
        "p-weekly-2026-W48",
        "p-monthly-2026-11",
      ],
    ],
    [
      "the first of a month on a Tuesday",
      "2026-12-01T02:00:00Z",
      { daily: 2, weekly: 1, monthly: 2 },
      "UTC",
      [
        "p-daily-2026-12-01",
        "p-monthly-2026-12",
        "p-daily-2026-11-30",
        "p-weekly-2026-W49",
        "p-monthly-2026-11",
      ],
    ],
    [
      "a zero count keeps none of that kind",
      "2026-11-27T03:00:00Z",
      { hourly: 0, daily: 0, weekly: 2 },
      "UTC",
      ["p-weekly-2026-W48", "p-weekly-2026-W47"],
    ],
  ];

  it.each(CASES)("keeps the right periods for %s", (_case, now, keep, timeZone, expected) => {
    expect(names(windowAt(now, keep, timeZone))).toEqual(expected);
  });

  it("numbers each kind's periods by age, 0 being the one containing now", () => {
    const window = windowAt("2026-11-30T02:00:00Z", { daily: 2, weekly: 2 });
    expect(window.map((period) => [period.name, period.age])).toEqual([
      ["p-daily-2026-11-30", 0],
      ["p-weekly-2026-W49", 0],
      ["p-daily-2026-11-29", 1],
      ["p-weekly-2026-W48", 1],
    ]);
  });

  it("gives each period its bounds in the zone, 23 hours for the day clocks go forward", () => {
    const [day] = windowAt("2026-03-29T10:00:00Z", { daily: 1 }, "Europe/Berlin");
    expect(day).toMatchObject({ start: "2026-03-29T00:00:00+01:00", end: "2026-03-30T00:00:00+02:00" });
    expect(Date.parse(day?.end ?? "") - Date.parse(day?.start ?? "")).toBe(23 * 3600_000);
  });

  it("gives the day clocks go back 25 hours", () => {
    const [day] = windowAt("2026-10-25T10:00:00Z", { daily: 1 }, "Europe/Berlin");
    expect(day).toMatchObject({ start: "2026-10-25T00:00:00+02:00", end: "2026-10-26T00:00:00+01:00" });
    expect(Date.parse(day?.end ?? "") - Date.parse(day?.start ?? "")).toBe(25 * 3600_000);
  });

  it("gives an ISO week Monday 00:00 to the next Monday 00:00", () => {
    const [week] = windowAt("2027-01-01T12:00:00Z", { weekly: 1 });
    expect(week).toMatchObject({
      kind: "weekly",
      label: "2026-W53",
      start: "2026-12-28T00:00:00Z",
      end: "2027-01-04T00:00:00Z",
    });
  });

  it("names every snapshot so that DomainSnapshot's name rule accepts it", () => {
    const window = windowAt(
      "2026-10-25T01:30:00Z",
      { hourly: 30, daily: 3, weekly: 3, monthly: 3, yearly: 3 },
      "Asia/Kathmandu",
    );
    expect(window).toHaveLength(42);
    for (const period of window) expect(period.name).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.+:-]{0,127}$/);
    expect(new Set(names(window)).size).toBe(42);
  });
});

describe("periodsToKeep", () => {
  const window = windowAt("2026-11-27T03:00:00Z", { daily: 3, weekly: 2 });

  it.each([
    ["a new policy: only the current periods", [], ["p-daily-2026-11-27", "p-weekly-2026-W48"]],
    [
      "every period has its snapshot",
      [
        "p-daily-2026-11-27",
        "p-daily-2026-11-26",
        "p-daily-2026-11-25",
        "p-weekly-2026-W48",
        "p-weekly-2026-W47",
      ],
      [
        "p-daily-2026-11-27",
        "p-daily-2026-11-26",
        "p-daily-2026-11-25",
        "p-weekly-2026-W48",
        "p-weekly-2026-W47",
      ],
    ],
    [
      "a day without a run stays without a snapshot",
      ["p-daily-2026-11-25", "p-weekly-2026-W48"],
      ["p-daily-2026-11-27", "p-daily-2026-11-25", "p-weekly-2026-W48"],
    ],
    [
      "snapshots outside the window or not the policy's are left out",
      ["p-daily-2026-11-24", "p-weekly-2026-W46", "q-daily-2026-11-26", "before-upgrade"],
      ["p-daily-2026-11-27", "p-weekly-2026-W48"],
    ],
  ])("declares %s", (_case, existing, expected) => {
    expect(names(periodsToKeep(window, existing))).toEqual(expected);
  });
});

describe("a policy applied once a day", () => {
  /** Runs the policy at each time in turn, as nightly `pulumi up`s would; returns what each run does. */
  function simulate(runs: readonly { now: string; keep: KeepCounts }[]) {
    let host = new Set<string>();
    return runs.map(({ now, keep }) => {
      const kept = names(periodsToKeep(windowAt(now, keep), host));
      const creates = kept.filter((name) => !host.has(name));
      const deletes = [...host].filter((name) => !kept.includes(name)).sort();
      host = new Set(kept);
      return { day: now.slice(0, 10), creates, deletes };
    });
  }
  const day = (date: string, keep: KeepCounts = { daily: 3, weekly: 2 }) => ({
    now: `${date}T02:00:00Z`,
    keep,
  });

  it("creates one daily a day and one weekly each Monday, and deletes what falls out of the window", () => {
    const dates = [
      "2026-12-26",
      "2026-12-27",
      "2026-12-28",
      "2026-12-29",
      "2026-12-30",
      "2026-12-31",
      "2027-01-01",
      "2027-01-02",
      "2027-01-03",
      "2027-01-04",
    ];
    expect(simulate(dates.map((date) => day(date)))).toEqual([
      { day: "2026-12-26", creates: ["p-daily-2026-12-26", "p-weekly-2026-W52"], deletes: [] },
      { day: "2026-12-27", creates: ["p-daily-2026-12-27"], deletes: [] },
      { day: "2026-12-28", creates: ["p-daily-2026-12-28", "p-weekly-2026-W53"], deletes: [] },
      { day: "2026-12-29", creates: ["p-daily-2026-12-29"], deletes: ["p-daily-2026-12-26"] },
      { day: "2026-12-30", creates: ["p-daily-2026-12-30"], deletes: ["p-daily-2026-12-27"] },
      { day: "2026-12-31", creates: ["p-daily-2026-12-31"], deletes: ["p-daily-2026-12-28"] },
      { day: "2027-01-01", creates: ["p-daily-2027-01-01"], deletes: ["p-daily-2026-12-29"] },
      { day: "2027-01-02", creates: ["p-daily-2027-01-02"], deletes: ["p-daily-2026-12-30"] },
      { day: "2027-01-03", creates: ["p-daily-2027-01-03"], deletes: ["p-daily-2026-12-31"] },
      {
        day: "2027-01-04",
        creates: ["p-daily-2027-01-04", "p-weekly-2027-W01"],
        deletes: ["p-daily-2027-01-01", "p-weekly-2026-W52"],
      },
    ]);
  });

  it("takes nothing and deletes nothing on a second run the same day", () => {
    const [, second] = simulate([
      day("2026-12-28"),
      { now: "2026-12-28T23:59:00Z", keep: { daily: 3, weekly: 2 } },
    ]);
    expect(second).toEqual({ day: "2026-12-28", creates: [], deletes: [] });
  });

  it("deletes exactly the two older dailies when keep.daily goes from 3 to 1", () => {
    const runs = simulate([
      day("2026-12-28"),
      day("2026-12-29"),
      day("2026-12-30"),
      { now: "2026-12-30T09:00:00Z", keep: { daily: 1, weekly: 2 } },
    ]);
    expect(runs.at(-1)).toEqual({
      day: "2026-12-30",
      creates: [],
      deletes: ["p-daily-2026-12-28", "p-daily-2026-12-29"],
    });
  });

  it("does not fill in older days when keep.daily grows again", () => {
    const runs = simulate([
      day("2026-12-28"),
      day("2026-12-29"),
      day("2026-12-30", { daily: 1, weekly: 2 }),
      day("2026-12-30", { daily: 3, weekly: 2 }),
    ]);
    expect(runs.at(-1)).toEqual({ day: "2026-12-30", creates: [], deletes: [] });
  });
});
