// Resource outputs cross gRPC as protobuf Structs, which cannot hold `undefined`: drop such keys.

/** A deep copy of `value` without `undefined` object values (array holes become null). */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value))
    return value.map((item) => (item === undefined ? null : withoutUndefined(item))) as T;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .map(([key, inner]) => [key, withoutUndefined(inner)]),
  ) as T;
}
