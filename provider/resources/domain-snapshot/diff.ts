// DomainSnapshot diff: a description (or provider version) change updates in place, anything else replaces.
import { PROVIDER_VERSION } from "../../version.js";
import { isUnknown } from "../unknown.js";
import { type DomainSnapshotInputs, domainSnapshotInputsSchema } from "./schema.js";

export interface DiffOutcome {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

/** Inputs that only change how we manage the snapshot, not the snapshot itself. */
const IN_PLACE: ReadonlySet<keyof DomainSnapshotInputs> = new Set(["description", "onDelete"]);
/** Inputs that only matter at create time and never force a new snapshot. */
const IGNORED: ReadonlySet<keyof DomainSnapshotInputs> = new Set(["adopt"]);
/** Inputs that identify the snapshot on the host: unchanged, the new one takes the old one's name. */
const IDENTITY: readonly (keyof DomainSnapshotInputs)[] = ["uri", "domain", "name"];

/**
 * Compares the state (`olds`, which holds the inputs it was made from) with checked new inputs.
 * Values unknown during preview count as changed.
 */
export function diffDomainSnapshot(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffOutcome {
  const before = withDefaults(olds);
  const after = withDefaults(news);
  const keys = Object.keys(domainSnapshotInputsSchema.shape) as (keyof DomainSnapshotInputs)[];
  const changed = keys.filter((key) => !IGNORED.has(key) && !sameValue(before[key], after[key]));
  const replaces = changed.filter((key) => !IN_PLACE.has(key));
  const versionChanged = olds.providerVersion !== PROVIDER_VERSION;
  return {
    changes: changed.length > 0 || versionChanged,
    replaces,
    // Same name on the same domain: the old snapshot must go before the new one can be made.
    deleteBeforeReplace: replaces.length > 0 && IDENTITY.every((key) => sameValue(before[key], after[key])),
  };
}

/** Applies defaults so that an omitted value and its default compare equal. */
function withDefaults(values: Record<string, unknown>): Record<string, unknown> {
  const parsed = domainSnapshotInputsSchema.safeParse(pickInputs(values));
  return parsed.success ? parsed.data : values;
}

function pickInputs(values: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(domainSnapshotInputsSchema.shape);
  return Object.fromEntries(Object.entries(values).filter(([key]) => keys.includes(key)));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Sorted keys, so that `{ a, b }` and `{ b, a }` compare equal. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, inner]) => [key, canonical(inner)]),
  );
}
