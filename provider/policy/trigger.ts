// A backup trigger derived from the current period: it changes once per hour, day, week, month or year.
import { z } from "zod";
import { VirtsnapError } from "../errors.js";
import { checkInputs } from "../inputs/check-inputs.js";
import type { PeriodKind } from "./periods.js";
import { currentPeriod } from "./retention.js";
import { nowSchema, resolveNow, timeZoneSchema } from "./schema.js";

const KIND_OF = {
  hour: "hourly",
  day: "daily",
  week: "weekly",
  month: "monthly",
  year: "yearly",
} as const satisfies Record<string, PeriodKind>;

const backupTriggerSchema = z.strictObject({
  /** How often a backup is due: once per `hour`, `day`, ISO `week` (Monday to Sunday), `month` or `year`. */
  every: z.enum(["hour", "day", "week", "month", "year"], {
    error: "must be 'hour', 'day', 'week', 'month' or 'year'",
  }),
  /** The time to take the period of (default: when the program runs). */
  now: nowSchema.optional(),
  /** IANA time zone the periods are counted in (default `UTC`). */
  timeZone: timeZoneSchema.default("UTC"),
});

export type BackupTriggerArgs = z.input<typeof backupTriggerSchema>;

/** backupTrigger was given an argument it cannot use; the message names each. */
export class BackupTriggerError extends VirtsnapError {
  readonly code = "policy-invalid";
}

/**
 * The trigger for the period containing `now`: `daily-2026-11-27`, `weekly-2026-W48`, ...
 * Every run inside one period gets the same string; the first run in the next period gets a
 * new one. Throws a BackupTriggerError naming each bad argument.
 */
export function backupTriggerFor(args: BackupTriggerArgs, runTime: Date): string {
  const outcome = checkInputs(backupTriggerSchema, { ...args });
  if (!outcome.complete) {
    const problems = outcome.failures.map((failure) => `${failure.property} ${failure.reason}`).join("; ");
    throw new BackupTriggerError(`backupTrigger: ${problems}`);
  }
  const { every, now, timeZone } = outcome.inputs as z.output<typeof backupTriggerSchema>;
  const kind = KIND_OF[every];
  return `${kind}-${currentPeriod(kind, resolveNow(now, timeZone, runTime), timeZone).label}`;
}
