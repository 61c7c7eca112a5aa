// SnapshotPolicy's arguments: the zod schema the component validates in the program, before it declares anything.
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { diskTarget, freeText, libvirtUri, objectName } from "../inputs/validators.js";
import { PERIOD_KINDS, type PeriodKind } from "./periods.js";

/** Leaves room for the longest suffix, `-hourly-2026-11-27T13+0100`, within a name's 128 characters. */
const MAX_PREFIX_LENGTH = 100;
const MAX_COUNT = 1000;

const UNIT_NAMES = {
  hourly: "hours",
  daily: "days",
  weekly: "ISO weeks",
  monthly: "months",
  yearly: "years",
} as const satisfies Record<PeriodKind, string>;

/** An Output or a promise: a value the program does not know yet while it decides what to declare. */
export function isDeferred(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  // @pulumi/pulumi marks its Output objects so (Output.isInstance); no import of it needed here.
  return (value as { __pulumiOutput?: unknown }).__pulumiOutput === true || value instanceof Promise;
}

const keepCount = (kind: PeriodKind) =>
  z
    .number({ error: `must be a whole number: how many ${UNIT_NAMES[kind]} to keep a snapshot of` })
    .int({ error: `must be a whole number: how many ${UNIT_NAMES[kind]} to keep a snapshot of` })
    .min(0, { error: `must be 0 or more (0 keeps no ${kind} snapshots)` })
    .max(MAX_COUNT, { error: `must be at most ${MAX_COUNT}: each kept period is a snapshot on the host` });

/** How many of the most recent periods of each kind keep a snapshot. */
export const keepSchema = z
  .strictObject(
    {
      /** Hours (the current one included), in the policy's time zone. */
      hourly: keepCount("hourly").optional(),
      /** Calendar days. */
      daily: keepCount("daily").optional(),
      /** ISO weeks, Monday to Sunday. */
      weekly: keepCount("weekly").optional(),
      /** Calendar months. */
      monthly: keepCount("monthly").optional(),
      /** Calendar years. */
      yearly: keepCount("yearly").optional(),
    },
    { error: "must be an object of counts, such as { daily: 7, weekly: 4 }" },
  )
  // Only "all zero": a negative count already has its own failure.
  .refine((keep) => PERIOD_KINDS.some((kind) => (keep[kind] ?? 0) !== 0), {
    error: `keeps nothing: set at least one of ${PERIOD_KINDS.join(", ")} above 0 (to remove every snapshot, remove the policy)`,
  });

/** An IANA time zone name, such as `UTC` or `Europe/Berlin`. */
export const timeZoneSchema = z
  .string({ error: "must be a string: an IANA time zone such as UTC or Europe/Berlin" })
  .refine((zone) => IANAZone.isValidZone(zone), {
    error: "is not an IANA time zone this Node.js knows: use e.g. UTC, Europe/Berlin or America/New_York",
  });

/** A point in time: a Date, or an ISO 8601 string (without an offset it is read in the policy's time zone). */
export const nowSchema = z
  .union([z.date(), z.string()], {
    error: "must be a Date or an ISO 8601 string such as 2026-11-27T03:00:00Z",
  })
  .refine(
    (now) =>
      now instanceof Date ? !Number.isNaN(now.getTime()) : DateTime.fromISO(now, { zone: "UTC" }).isValid,
    { error: "is not a valid date and time: use a Date or ISO 8601, such as 2026-11-27T03:00:00Z" },
  );

const diskMode = z.strictObject(
  {
    /** `internal` (inside the qcow2 image), `external` (a new overlay file) or `exclude` (left out). */
    mode: z.enum(["internal", "external", "exclude"]),
  },
  { error: "must be { mode: 'internal' }, { mode: 'external' } or { mode: 'exclude' }" },
);

/** The policy's own settings: plain values, needed while the program decides what to declare. */
const POLICY_SETTINGS = {
  /** How many of the most recent hours, days, ISO weeks, months and years keep a snapshot. */
  keep: keepSchema,
  /** The time the policy is applied at (default: when the program runs). */
  now: nowSchema.optional(),
  /** IANA time zone the periods are counted in (default `UTC`). */
  timeZone: timeZoneSchema.default("UTC"),
  /** Start of every snapshot name, `<prefix>-daily-2026-11-27` (default: the component's name). */
  prefix: objectName("snapshot name prefix")
    .max(MAX_PREFIX_LENGTH, { error: `is too long: at most ${MAX_PREFIX_LENGTH} characters` })
    .optional(),
  /** Per disk target: `internal`, `external` (overlay file named by libvirt) or `exclude`. */
  disks: z.record(diskTarget, diskMode).optional(),
  /**
   * `internal` (guest memory saved inside the images; libvirt's default for a running domain)
   * or `none` (disks only). External memory would need a file per snapshot: not offered.
   */
  memory: z.enum(["none", "internal"], { error: "must be 'none' or 'internal'" }).optional(),
  /** Freeze guest filesystems through the guest agent (disk-only snapshots). */
  quiesce: z.boolean({ error: "must be true or false" }).optional(),
  /** Description stored with every snapshot (default: names the period and the policy). */
  description: freeText.optional(),
};

/** The policy's settings as a user writes them (everything but `domain` and `uri`). */
export type PolicySettingsArgs = z.input<z.ZodObject<typeof POLICY_SETTINGS>>;

/** The keys whose values decide which snapshots the program declares: they must be plain values. */
export const POLICY_SETTING_KEYS = Object.keys(POLICY_SETTINGS) as readonly (keyof typeof POLICY_SETTINGS)[];

const domainName = objectName("domain name or UUID");

/**
 * Everything a SnapshotPolicy is given. `domain` and `uri` may be Pulumi Outputs (checked
 * here when they are plain strings, else by each DomainSnapshot's own check); the settings
 * must be plain values, which parseSnapshotPolicy makes sure of before this schema runs.
 */
export const snapshotPolicyArgsSchema = z
  .strictObject({
    /** The domain to snapshot, by name or UUID. */
    domain: z.custom<unknown>((domain) => domain !== undefined && domain !== null, {
      error: "must be given: the domain to snapshot, by name or UUID",
    }),
    /** libvirt URI (default: stack config `virtsnap:uri`, `LIBVIRT_DEFAULT_URI`, `qemu:///system`). */
    uri: z.unknown().optional(),
    ...POLICY_SETTINGS,
  })
  .superRefine((args, context) => {
    const check = (key: "domain" | "uri", schema: z.ZodType) => {
      if (isDeferred(args[key])) return;
      for (const issue of schema.safeParse(args[key]).error?.issues ?? []) {
        context.addIssue({ code: "custom", path: [key, ...issue.path], message: issue.message });
      }
    };
    check("domain", domainName);
    check("uri", libvirtUri({ reachesHost: false }).optional());
  });

export type SnapshotPolicyInputs = z.output<typeof snapshotPolicyArgsSchema>;

/** `now` as an instant: a string without an offset is local time in `timeZone`. */
export function resolveNow(now: Date | string | undefined, timeZone: string, runTime: Date): Date {
  if (now === undefined) return runTime;
  if (now instanceof Date) return now;
  return DateTime.fromISO(now, { zone: timeZone }).toJSDate();
}
