// backupTrigger: a BackupChain trigger that changes once per period, so a nightly `up` takes one backup a day.
import { backupTriggerFor, type BackupTriggerArgs as SchemaArgs } from "../provider/policy/trigger.js";

/** Arguments of {@link backupTrigger}. */
export interface BackupTriggerArgs extends SchemaArgs {}

/**
 * A {@link BackupChain} `trigger` for the period containing `now` (default: when the program
 * runs), counted on the calendar of `timeZone` (default `UTC`): `daily-2026-11-27`,
 * `weekly-2026-W48` (ISO week), `hourly-2026-11-27T13+0000`, `monthly-2026-11`, `yearly-2026`.
 * Every `pulumi up` inside one period passes the same trigger, so BackupChain takes no backup;
 * the first `up` in the next period passes a new one and takes the next backup. A run missed
 * for a whole period is simply skipped; nothing is caught up.
 *
 * Throws an Error naming the bad argument (unknown `every`, time zone or date).
 *
 * @example
 * ```ts
 * import { BackupChain, backupTrigger } from "virtsnap";
 *
 * // Run `pulumi up` as often as you like: one backup per day (Berlin time), a full one weekly.
 * new BackupChain("web1-nightly", {
 *   domain: "web1",
 *   directory: "/var/backups/vms/web1",
 *   trigger: backupTrigger({ every: "day", timeZone: "Europe/Berlin" }),
 *   fullEvery: 7,
 *   keepChains: 2,
 * });
 * ```
 */
export function backupTrigger(args: BackupTriggerArgs): string {
  return backupTriggerFor(args, new Date());
}
