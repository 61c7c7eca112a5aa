// Which periods a snapshot policy keeps at a given time, and the snapshot name of each: pure, table-tested.
import { DateTime } from "luxon";
import { PERIOD_KINDS, type Period, type PeriodKind, periodAt, recentPeriods } from "./periods.js";

/** How many of the most recent periods of each kind to keep (a kind left out keeps none). */
export type KeepCounts = Partial<Record<PeriodKind, number>>;

export interface RetentionPolicy {
  /** The time the policy is applied at. */
  readonly now: Date;
  readonly keep: KeepCounts;
  /** IANA time zone the periods are counted in (`UTC`, `Europe/Berlin`). */
  readonly timeZone: string;
  /** Start of every snapshot name: `<prefix>-<kind>-<label>`. */
  readonly prefix: string;
}

/** A period inside the policy's window, with the snapshot that stands for it. */
export interface RetainedPeriod extends Period {
  /** The snapshot's name on the host: `<prefix>-daily-2026-11-27`. */
  readonly name: string;
  /** 0 for the period that contains `now`, 1 for the one before, ... */
  readonly age: number;
}

/**
 * The periods inside the window at `now`: for each kind, the period containing `now` and the
 * `keep[kind] - 1` before it, counted on the calendar of `timeZone` (hours, days, ISO weeks
 * starting Monday, months, years). Newest first: by start time, then finer kinds first, so a
 * day that starts a week lists its daily before its weekly.
 *
 * Kinds are counted independently: the newest daily and the newest weekly are two periods, two
 * snapshots (docs/retention.md explains why).
 */
export function retentionWindow(policy: RetentionPolicy): RetainedPeriod[] {
  const now = localTime(policy.now, policy.timeZone);
  return PERIOD_KINDS.flatMap((kind) =>
    recentPeriods(kind, now, policy.keep[kind] ?? 0).map((period, age) => ({
      ...period,
      name: snapshotName(policy.prefix, period),
      age,
    })),
  ).sort(newestFirst);
}

/**
 * The periods to declare a snapshot for: every period of the window that contains `now` (its
 * snapshot is taken now, if it was not already), and each older period of the window whose
 * snapshot `existing` holds. An older period without a snapshot stays without one: taking it
 * now would store today's disks under an older period's name.
 */
export function periodsToKeep(
  window: readonly RetainedPeriod[],
  existing: Iterable<string>,
): RetainedPeriod[] {
  const present = new Set(existing);
  return window.filter((period) => period.age === 0 || present.has(period.name));
}

/** The snapshot name of a period: `<prefix>-<kind>-<label>`. */
export function snapshotName(prefix: string, period: Pick<Period, "kind" | "label">): string {
  return `${prefix}-${period.kind}-${period.label}`;
}

/** The period of `kind` containing `now` in `timeZone`. */
export function currentPeriod(kind: PeriodKind, now: Date, timeZone: string): Period {
  return periodAt(kind, localTime(now, timeZone));
}

/** `now` on the clock of `timeZone`. Throws for an invalid date or zone (callers validate both first). */
function localTime(now: Date, timeZone: string): DateTime {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  if (!local.isValid)
    throw new Error(`cannot place ${String(now)} in time zone ${timeZone}: ${local.invalidExplanation}`);
  return local;
}

function newestFirst(a: RetainedPeriod, b: RetainedPeriod): number {
  const byStart = Date.parse(b.start) - Date.parse(a.start);
  return byStart !== 0 ? byStart : PERIOD_KINDS.indexOf(a.kind) - PERIOD_KINDS.indexOf(b.kind);
}
