// SnapshotPolicy: keep-hourly/daily/weekly/monthly/yearly rules as a set of DomainSnapshots that `pulumi preview` shows.
import * as pulumi from "@pulumi/pulumi";
import { openHost } from "../provider/host/host.js";
import { existingSnapshots, SnapshotListingError } from "../provider/policy/existing-snapshots.js";
import { parseSnapshotPolicy, SnapshotPolicyError } from "../provider/policy/parse-policy.js";
import type { PeriodKind } from "../provider/policy/periods.js";
import { periodsToKeep, type RetainedPeriod, retentionWindow } from "../provider/policy/retention.js";
import { type PolicySettingsArgs, resolveNow, type SnapshotPolicyInputs } from "../provider/policy/schema.js";
import { VirshClient } from "../provider/tools/virsh/virsh-client.js";
import { DomainSnapshot } from "./domain-snapshot.js";
import { resolveUri } from "./inputs.js";

/**
 * Arguments of {@link SnapshotPolicy}. `domain` and `uri` may be Outputs; everything else must
 * be a plain value, because it decides which snapshots the program declares.
 */
export interface SnapshotPolicyArgs extends PolicySettingsArgs {
  /** The domain to snapshot, by name or UUID. */
  domain: pulumi.Input<string>;
  /** libvirt URI (default: stack config `virtsnap:uri`, then `LIBVIRT_DEFAULT_URI`, then `qemu:///system`). */
  uri?: pulumi.Input<string>;
}

/** One snapshot the policy keeps, and the period it stands for. */
export interface PolicySnapshot {
  /** The snapshot's name on the host: `<prefix>-<kind>-<period>`. */
  readonly name: string;
  /** The kind of period it stands for: `hourly`, `daily`, `weekly`, `monthly` or `yearly`. */
  readonly kind: PeriodKind;
  /** The period: `2026-11-27`, `2026-W48` (ISO week), `2026-11`, `2026-11-27T13+0100` (hour and offset). */
  readonly period: string;
  /** The period's first instant (ISO 8601, the policy's time zone). */
  readonly start: string;
  /** The first instant after the period (ISO 8601, the policy's time zone). */
  readonly end: string;
}

/**
 * Retention as declared resources: for each kind of period (hourly, daily, ISO weekly,
 * monthly, yearly) the policy keeps one DomainSnapshot for each of the `keep[kind]` most recent
 * periods, counted on the calendar of `timeZone`. Each snapshot is named for its period
 * (`nightly-daily-2026-11-27`, `nightly-weekly-2026-W48`) and is taken by the first
 * `pulumi up` inside that period; later runs in the same period leave it alone. When a period
 * falls out of the window, its snapshot disappears from the program and Pulumi deletes it, so
 * `pulumi preview` shows exactly which snapshots a run, or a change to the policy, creates and
 * deletes. An older period that has no snapshot (the policy is new, or no run happened then)
 * is not filled in later: the program lists the domain's snapshots to know which exist.
 *
 * The policy is checked when the program runs: a bad one (negative or all-zero counts,
 * unknown keys, an unknown time zone, an invalid `now`) stops `preview` and `up` before any
 * snapshot is declared, with a message naming each property.
 *
 * @example
 * ```ts
 * import { SnapshotPolicy } from "virtsnap";
 *
 * // Run `pulumi up` nightly: the last 7 days and the last 4 ISO weeks each keep a snapshot.
 * const nightly = new SnapshotPolicy("nightly", {
 *   domain: "web1",
 *   keep: { daily: 7, weekly: 4 },
 *   timeZone: "Europe/Berlin",
 * });
 * export const kept = nightly.snapshotNames;
 * ```
 */
export class SnapshotPolicy extends pulumi.ComponentResource {
  /** Names of the snapshots the policy keeps after this run, newest period first. */
  readonly snapshotNames: pulumi.Output<string[]>;
  /** The snapshots the policy keeps after this run with their periods, newest first (known during preview). */
  readonly snapshots: pulumi.Output<PolicySnapshot[]>;
  /** When libvirt took each kept snapshot (ISO 8601), by snapshot name: during its period's first `up`. */
  readonly createdAt: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: SnapshotPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): an invalid policy must stop the program before anything is registered.
    const inputs = parseOrStop(name, args);
    super("virtsnap:index:SnapshotPolicy", name, {}, opts);

    const window = retentionWindow({
      now: resolveNow(inputs.now, inputs.timeZone, new Date()),
      keep: inputs.keep,
      timeZone: inputs.timeZone,
      prefix: inputs.prefix ?? name,
    });
    const uri = resolveUri(args.uri);
    // Known during preview as well, when `domain` and `uri` are: the names do not wait for libvirt.
    const kept = pulumi.all([args.domain, uri]).apply(async ([domain, resolvedUri]) => {
      const virsh = new VirshClient(openHost(resolvedUri));
      const existing = await existingSnapshots(virsh, name, domain).catch((error: unknown) => {
        throw error instanceof SnapshotListingError ? new pulumi.RunError(error.message) : error;
      });
      return periodsToKeep(window, existing);
    });
    this.snapshots = kept.apply((periods) => periods.map(policySnapshot));
    this.snapshotNames = kept.apply((periods) => periods.map((period) => period.name));
    this.createdAt = kept.apply((periods) => this.declareSnapshots(name, args.domain, uri, inputs, periods));
    this.registerOutputs({
      snapshotNames: this.snapshotNames,
      snapshots: this.snapshots,
      createdAt: this.createdAt,
    });
  }

  /**
   * One DomainSnapshot per period. Its inputs depend only on the period, never on `now` or the
   * counts, so a kept snapshot stays unchanged from run to run. Each one waits for the one
   * before: libvirt runs one snapshot job per domain at a time.
   */
  private declareSnapshots(
    component: string,
    domain: pulumi.Input<string>,
    uri: pulumi.Input<string>,
    inputs: SnapshotPolicyInputs,
    periods: readonly RetainedPeriod[],
  ): pulumi.Output<Record<string, string>> {
    let previous: DomainSnapshot | undefined;
    const createdAt = periods.map((period) => {
      const snapshot = new DomainSnapshot(
        `${component}-${period.kind}-${period.label}`,
        {
          domain,
          uri,
          name: period.name,
          description:
            inputs.description ??
            `${period.kind} snapshot for ${period.label}, kept by SnapshotPolicy ${component}`,
          ...(inputs.disks === undefined ? {} : { disks: inputs.disks }),
          ...(inputs.memory === undefined ? {} : { memory: inputs.memory }),
          ...(inputs.quiesce === undefined ? {} : { quiesce: inputs.quiesce }),
          // A snapshot of this name left on the host (a run that failed before Pulumi saved its
          // state) is taken over instead of failing the run.
          adopt: true,
        },
        {
          parent: this,
          ...(previous === undefined ? {} : { dependsOn: [previous] }),
          // New snapshot options apply to the snapshots taken from then on. Applied to the kept
          // ones, they would replace each with a snapshot of today under its old period's name.
          ignoreChanges: ["disks", "memory", "quiesce"],
        },
      );
      previous = snapshot;
      return snapshot.createdAt.apply((time): [string, string] => [period.name, time]);
    });
    return pulumi.all(createdAt).apply((entries) => Object.fromEntries(entries));
  }
}

function policySnapshot(period: RetainedPeriod): PolicySnapshot {
  return { name: period.name, kind: period.kind, period: period.label, start: period.start, end: period.end };
}

/**
 * The validated arguments. A bad policy ends the program as a RunError: Pulumi prints its
 * message (every property and what is wrong with it) without a stack trace, like a check failure.
 */
function parseOrStop(name: string, args: SnapshotPolicyArgs): SnapshotPolicyInputs {
  try {
    return parseSnapshotPolicy(name, args);
  } catch (error) {
    if (error instanceof SnapshotPolicyError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
