// The diff every resource needs: compare state with new inputs, defaults applied, unknowns as changes.
import type { z } from "zod";
import { inputsOf } from "../inputs/check-inputs.js";
import { isUnknown } from "../inputs/unknown.js";
import { PROVIDER_VERSION } from "../version.js";

export interface DiffOutcome {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

export interface DiffRules<Key extends string> {
  /** Inputs a change of which the resource applies in place (everything else replaces). */
  readonly inPlace: ReadonlySet<Key>;
  /** Inputs that only matter at create time and never cause a change. */
  readonly ignored: ReadonlySet<Key>;
  /**
   * Inputs that name the object on the host. When a replacement keeps all of them, the new
   * object would collide with the old one, so the old one is deleted first. Empty: never.
   */
  readonly identity: readonly Key[];
}

/**
 * Compares the state (`olds`, which holds the inputs it was made from) with checked new inputs.
 * Values unknown during preview count as changed; state written by another provider version
 * asks for an update, so the new code's outputs replace the old.
 */
export function diffInputs<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  rules: DiffRules<Extract<keyof Shape, string>>,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffOutcome {
  const keys = Object.keys(schema.shape) as Extract<keyof Shape, string>[];
  const before = withDefaults(schema, olds);
  const after = withDefaults(schema, news);
  const changed = keys.filter((key) => !rules.ignored.has(key) && !sameValue(before[key], after[key]));
  const replaces = changed.filter((key) => !rules.inPlace.has(key));
  return {
    changes: changed.length > 0 || olds.providerVersion !== PROVIDER_VERSION,
    replaces,
    deleteBeforeReplace:
      replaces.length > 0 &&
      rules.identity.length > 0 &&
      rules.identity.every((key) => sameValue(before[key], after[key])),
  };
}

/** Applies defaults so that an omitted value and its default compare equal. */
function withDefaults(schema: z.ZodObject, values: Record<string, unknown>): Record<string, unknown> {
  const inputs = inputsOf(schema, values);
  const parsed = schema.safeParse(inputs);
  return parsed.success ? (parsed.data as Record<string, unknown>) : inputs;
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
