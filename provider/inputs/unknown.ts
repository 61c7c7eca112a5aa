// Pulumi's placeholder for values not known yet (during preview), as dynamic providers receive it.

/**
 * During `pulumi preview`, an input that depends on another resource's output reaches check
 * and diff as this string (`rpc.unknownValue` in @pulumi/pulumi).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when the value at `path` inside `root`, or any value above it, is not known yet. */
export function isUnknownAt(root: unknown, path: readonly PropertyKey[]): boolean {
  let current: unknown = root;
  if (isUnknown(current)) return true;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return false;
    current = (current as Record<PropertyKey, unknown>)[key];
    if (isUnknown(current)) return true;
  }
  return false;
}
