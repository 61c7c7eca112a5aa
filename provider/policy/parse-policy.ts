// Validates a SnapshotPolicy's arguments in the program and reports failures as Pulumi reports check failures.
import { VirtsnapError } from "../errors.js";
import { type CheckFailure, checkInputs } from "../inputs/check-inputs.js";
import {
  isDeferred,
  POLICY_SETTING_KEYS,
  type SnapshotPolicyInputs,
  snapshotPolicyArgsSchema,
} from "./schema.js";

/**
 * A policy that cannot be applied. A component has no provider `check`, so the component
 * throws this from its constructor, before it declares any snapshot: `pulumi preview` and
 * `pulumi up` stop with this message and change none of the policy's snapshots.
 */
export class SnapshotPolicyError extends VirtsnapError {
  readonly code = "policy-invalid";
  readonly failures: readonly CheckFailure[];

  constructor(component: string, failures: readonly CheckFailure[], args: Record<string, unknown>) {
    const lines = failures.map(
      (failure) =>
        `  property ${failure.property} value {${shown(valueAt(args, failure.property))}} has a problem: ${failure.reason}`,
    );
    super(
      `SnapshotPolicy "${component}" is invalid, so none of its snapshots was taken or deleted:\n${lines.join("\n")}`,
    );
    this.failures = failures;
  }
}

/** The arguments with defaults applied, or a SnapshotPolicyError naming every bad property. */
export function parseSnapshotPolicy(component: string, args: unknown): SnapshotPolicyInputs {
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new SnapshotPolicyError(
      component,
      [{ property: "(args)", reason: "must be an object: { domain, keep, ... }" }],
      {},
    );
  }
  const values = args as Record<string, unknown>;
  // The settings decide which snapshots are declared, while the program runs: an Output or a
  // promise has no value yet. Reported once, instead of the schema's confusion about its type.
  const deferred = POLICY_SETTING_KEYS.filter((key) => isDeferred(values[key]));
  const outcome = checkInputs(snapshotPolicyArgsSchema, values);
  const failures = [
    ...deferred.map((key) => ({
      property: key,
      reason:
        "must be a plain value, not a Pulumi Output or a promise: the policy decides which snapshots exist while the program runs",
    })),
    ...outcome.failures.filter(
      (failure) =>
        !deferred.some((key) => failure.property === key || failure.property.startsWith(`${key}.`)),
    ),
  ];
  if (failures.length > 0 || !outcome.complete) throw new SnapshotPolicyError(component, failures, values);
  return outcome.inputs as SnapshotPolicyInputs;
}

function valueAt(root: Record<string, unknown>, property: string): unknown {
  let current: unknown = root;
  for (const key of property.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The value as Pulumi shows one in a check failure: strings bare, everything else as JSON. */
function shown(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (value === undefined || isDeferred(value)) return "";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
