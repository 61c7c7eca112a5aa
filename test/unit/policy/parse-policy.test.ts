import { describe, expect, it } from "vitest";
import { parseSnapshotPolicy, SnapshotPolicyError } from "../../../provider/policy/parse-policy.js";
import { resolveNow } from "../../../provider/policy/schema.js";

const VALID = { domain: "web1", keep: { daily: 3, weekly: 2 } };

/** The failures parseSnapshotPolicy throws for `args`, as [property, reason]. */
function failuresOf(args: unknown): [string, string][] {
  try {
    parseSnapshotPolicy("nightly", args);
  } catch (error) {
    if (error instanceof SnapshotPolicyError) return error.failures.map((f) => [f.property, f.reason]);
    throw error;
  }
  return [];
}

// What `pulumi.output("web1")` looks like to the schema: an object marked as an Output.
const anOutput = { __pulumiOutput: true };

describe("parseSnapshotPolicy", () => {
  it("accepts a minimal policy and fills in the UTC time zone", () => {
    expect(parseSnapshotPolicy("nightly", VALID)).toEqual({ ...VALID, timeZone: "UTC" });
  });

  it("accepts every option used together", () => {
    const args = {
      ...VALID,
      uri: "qemu+ssh://root@host/system",
      keep: { hourly: 24, daily: 7, weekly: 4, monthly: 12, yearly: 2 },
      now: "2026-11-27T03:00",
      timeZone: "Europe/Berlin",
      prefix: "web1-nightly",
      disks: { vda: { mode: "internal" }, vdb: { mode: "exclude" } },
      memory: "internal",
      quiesce: false,
      description: "nightly snapshot",
    };
    expect(failuresOf(args)).toEqual([]);
  });

  it("accepts a Date for now and Outputs for domain and uri", () => {
    expect(failuresOf({ ...VALID, now: new Date(), domain: anOutput, uri: anOutput })).toEqual([]);
  });

  const BAD: [string, unknown, string, RegExp][] = [
    ["a negative count", { ...VALID, keep: { daily: -1 } }, "keep.daily", /must be 0 or more/],
    ["a fractional count", { ...VALID, keep: { daily: 1.5 } }, "keep.daily", /whole number: how many days/],
    [
      "a count given as text",
      { ...VALID, keep: { weekly: "2" } },
      "keep.weekly",
      /whole number: how many ISO weeks/,
    ],
    ["an enormous count", { ...VALID, keep: { hourly: 100_000 } }, "keep.hourly", /at most 1000/],
    [
      "all counts zero",
      { ...VALID, keep: { daily: 0, weekly: 0 } },
      "keep",
      /keeps nothing: set at least one of/,
    ],
    ["no counts at all", { ...VALID, keep: {} }, "keep", /keeps nothing/],
    ["keep missing", { domain: "web1" }, "keep", /must be an object of counts/],
    ["keep as a word", { ...VALID, keep: "daily" }, "keep", /must be an object of counts/],
    [
      "an unknown kind of period",
      { ...VALID, keep: { daily: 3, secondly: 5 } },
      "keep.secondly",
      /not a known property/,
    ],
    ["an unknown argument", { ...VALID, retention: 3 }, "retention", /not a known property/],
    ["an unknown time zone", { ...VALID, timeZone: "Mars/Olympus" }, "timeZone", /not an IANA time zone/],
    ["a UTC offset instead of a zone", { ...VALID, timeZone: "UTC+1" }, "timeZone", /not an IANA time zone/],
    ["now that is not a date", { ...VALID, now: "yesterday" }, "now", /not a valid date and time/],
    [
      "now as an invalid Date",
      { ...VALID, now: new Date("x") },
      "now",
      /must be a Date or an ISO 8601 string/,
    ],
    ["now as a number", { ...VALID, now: 1_700_000_000 }, "now", /must be a Date or an ISO 8601 string/],
    [
      "a prefix with a space",
      { ...VALID, prefix: "my policy" },
      "prefix",
      /not a valid snapshot name prefix/,
    ],
    ["a prefix too long for the names", { ...VALID, prefix: "p".repeat(101) }, "prefix", /at most 100/],
    ["external memory", { ...VALID, memory: "external" }, "memory", /must be 'none' or 'internal'/],
    [
      "an external disk with a file",
      { ...VALID, disks: { vda: { mode: "external", file: "/x" } } },
      "disks.vda.file",
      /not a known property/,
    ],
    ["a missing domain", { keep: { daily: 1 } }, "domain", /must be given/],
    [
      "a domain with shell syntax",
      { ...VALID, domain: "a;rm -rf /" },
      "domain",
      /not a valid domain name or UUID/,
    ],
    ["a uri that is not a URI", { ...VALID, uri: "system" }, "uri", /not a libvirt URI/],
    ["keep as an Output", { ...VALID, keep: anOutput }, "keep", /must be a plain value, not a Pulumi Output/],
    ["now as a promise", { ...VALID, now: Promise.resolve("x") }, "now", /must be a plain value/],
  ];

  it.each(BAD)("rejects %s, naming the property", (_case, args, property, reason) => {
    const failures = failuresOf(args);
    expect(failures).toContainEqual([property, expect.stringMatching(reason)]);
  });

  it("reports a negative count once, not also as 'keeps nothing'", () => {
    expect(failuresOf({ ...VALID, keep: { daily: -1 } })).toEqual([
      ["keep.daily", "must be 0 or more (0 keeps no daily snapshots)"],
    ]);
  });

  it("reports every bad property at once, in Pulumi's check-failure words", () => {
    const error = (() => {
      try {
        parseSnapshotPolicy("nightly", {
          ...VALID,
          keep: { daily: -2, hourly: 1 },
          timeZone: "Mars/Olympus",
        });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SnapshotPolicyError);
    expect((error as Error).message).toBe(
      [
        'SnapshotPolicy "nightly" is invalid, so none of its snapshots was taken or deleted:',
        "  property keep.daily value {-2} has a problem: must be 0 or more (0 keeps no daily snapshots)",
        "  property timeZone value {Mars/Olympus} has a problem: is not an IANA time zone this Node.js knows: use e.g. UTC, Europe/Berlin or America/New_York",
      ].join("\n"),
    );
  });

  it("rejects arguments that are not an object", () => {
    expect(failuresOf(undefined)).toEqual([["(args)", "must be an object: { domain, keep, ... }"]]);
  });
});

describe("resolveNow", () => {
  const runTime = new Date("2026-11-27T10:00:00Z");

  it.each([
    ["nothing: the time the program runs", undefined, "UTC", "2026-11-27T10:00:00.000Z"],
    ["a Date as it is", new Date("2026-01-02T03:04:05Z"), "Europe/Berlin", "2026-01-02T03:04:05.000Z"],
    [
      "a string with an offset as that instant",
      "2026-11-27T03:00:00+09:00",
      "Europe/Berlin",
      "2026-11-26T18:00:00.000Z",
    ],
    [
      "a string without an offset in the policy's zone",
      "2026-11-27T03:00",
      "Europe/Berlin",
      "2026-11-27T02:00:00.000Z",
    ],
    [
      "a date alone as its midnight in the zone",
      "2026-07-01",
      "America/New_York",
      "2026-07-01T04:00:00.000Z",
    ],
  ])("reads %s", (_case, now, timeZone, expected) => {
    expect(resolveNow(now, timeZone, runTime).toISOString()).toBe(expected);
  });
});
