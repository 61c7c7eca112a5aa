import { describe, expect, it } from "vitest";
import { type BackupTriggerArgs, backupTriggerFor } from "../../../provider/policy/trigger.js";

const RUN_TIME = new Date("2026-11-27T13:45:00Z");

describe("backupTriggerFor", () => {
  it.each<[string, BackupTriggerArgs, string]>([
    ["a day", { every: "day" }, "daily-2026-11-27"],
    ["an ISO week", { every: "week" }, "weekly-2026-W48"],
    ["an hour, with its UTC offset", { every: "hour" }, "hourly-2026-11-27T13+0000"],
    ["a month", { every: "month" }, "monthly-2026-11"],
    ["a year", { every: "year" }, "yearly-2026"],
    [
      "a day in a time zone already on the next day",
      { every: "day", timeZone: "Pacific/Kiritimati" },
      "daily-2026-11-28",
    ],
    ["an hour in Berlin", { every: "hour", timeZone: "Europe/Berlin" }, "hourly-2026-11-27T14+0100"],
    ["a given now", { every: "week", now: "2027-01-02T23:00:00Z" }, "weekly-2026-W53"],
    [
      "a given now in the zone's local time",
      { every: "day", now: "2026-12-31T23:30", timeZone: "Asia/Tokyo" },
      "daily-2026-12-31",
    ],
  ])("names %s", (_case, args, expected) => {
    expect(backupTriggerFor(args, RUN_TIME)).toBe(expected);
  });

  it("stays the same for every run inside one day and changes at midnight", () => {
    const at = (now: string) => backupTriggerFor({ every: "day", now }, RUN_TIME);
    expect(at("2026-11-27T00:00:00Z")).toBe(at("2026-11-27T23:59:59.999Z"));
    expect(at("2026-11-28T00:00:00Z")).toBe("daily-2026-11-28");
  });

  it("stays the same from Monday to Sunday and changes on the next Monday", () => {
    const at = (now: string) => backupTriggerFor({ every: "week", now }, RUN_TIME);
    expect(at("2026-11-23T00:00:00Z")).toBe("weekly-2026-W48");
    expect(at("2026-11-29T23:59:59Z")).toBe("weekly-2026-W48");
    expect(at("2026-11-30T00:00:00Z")).toBe("weekly-2026-W49");
  });

  it.each<[string, unknown, RegExp]>([
    [
      "an unknown period",
      { every: "fortnight" },
      /backupTrigger: every must be 'hour', 'day', 'week', 'month' or 'year'/,
    ],
    [
      "an unknown time zone",
      { every: "day", timeZone: "Berlin" },
      /backupTrigger: timeZone is not an IANA time zone/,
    ],
    ["a bad date", { every: "day", now: "tomorrow" }, /backupTrigger: now is not a valid date and time/],
    ["an unknown argument", { every: "day", keep: 3 }, /backupTrigger: keep is not a known property/],
  ])("throws for %s", (_case, args, message) => {
    expect(() => backupTriggerFor(args as BackupTriggerArgs, RUN_TIME)).toThrow(message);
  });
});
