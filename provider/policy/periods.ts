// Calendar periods (hours, days, ISO weeks, months, years) in a time zone, and their stable labels.
import type { DateTime } from "luxon";

/** The kinds of period a retention policy counts, finest first. */
export const PERIOD_KINDS = ["hourly", "daily", "weekly", "monthly", "yearly"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** One calendar period in a time zone: `[start, end)`. */
export interface Period {
  readonly kind: PeriodKind;
  /**
   * Stable text naming the period, usable in a libvirt snapshot name: `2026-11-27T13+0100`
   * (hourly: local hour and UTC offset), `2026-11-27`, `2026-W48` (ISO week-year and week),
   * `2026-11`, `2026`.
   */
  readonly label: string;
  /** First instant of the period, ISO 8601 with the zone's offset. */
  readonly start: string;
  /** First instant after the period, ISO 8601 with the zone's offset. */
  readonly end: string;
}

const UNIT = {
  hourly: "hour",
  daily: "day",
  weekly: "week",
  monthly: "month",
  yearly: "year",
} as const satisfies Record<PeriodKind, string>;

// Luxon format tokens. `kkkk`/`WW` are the ISO week-year and week (2027-01-01 is in 2026-W53).
// The hourly label carries the UTC offset: when clocks go back, the local hour 02:00 happens
// twice (`02+0200`, then `02+0100`) and each must be its own period. No colons: a label may
// also end up in file names and URNs.
const LABEL_FORMAT = {
  hourly: "yyyy-MM-dd'T'HHZZZ",
  daily: "yyyy-MM-dd",
  weekly: "kkkk-'W'WW",
  monthly: "yyyy-MM",
  yearly: "yyyy",
} as const satisfies Record<PeriodKind, string>;

/**
 * The period of `kind` that contains `now`, and the `count - 1` before it: newest first.
 * Hours step back in absolute time (a DST day has 23 or 25 of them); days, weeks, months and
 * years step back on the local calendar (a DST day is still one day).
 */
export function recentPeriods(kind: PeriodKind, now: DateTime, count: number): Period[] {
  const unit = UNIT[kind];
  const current = now.startOf(unit);
  const periods: Period[] = [];
  for (let back = 0; back < count; back++) {
    const start = current.minus({ [`${unit}s`]: back }).startOf(unit);
    periods.push(periodFrom(kind, start));
  }
  return periods;
}

/** The period of `kind` that contains `now`. */
export function periodAt(kind: PeriodKind, now: DateTime): Period {
  return periodFrom(kind, now.startOf(UNIT[kind]));
}

function periodFrom(kind: PeriodKind, start: DateTime): Period {
  const unit = UNIT[kind];
  const end = start.plus({ [`${unit}s`]: 1 }).startOf(unit);
  return {
    kind,
    label: start.toFormat(LABEL_FORMAT[kind]),
    start: isoOf(start),
    end: isoOf(end),
  };
}

function isoOf(time: DateTime): string {
  const iso = time.toISO({ suppressMilliseconds: true });
  // Only an invalid DateTime has no ISO form; the callers validate time and zone first.
  if (iso === null) throw new Error(`invalid time: ${time.invalidExplanation ?? "unknown reason"}`);
  return iso;
}
