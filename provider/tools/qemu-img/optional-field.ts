// Copies a field only when it has a value, so parsed objects never carry `undefined` (Pulumi outputs cannot).

/** `{ [key]: value }` when the value is present, `{}` otherwise; spread it into an object literal. */
export function optionalField<Key extends string, Value>(
  key: Key,
  value: Value | undefined,
): { [K in Key]?: Value } {
  const field: { [K in Key]?: Value } = {};
  if (value !== undefined) field[key] = value;
  return field;
}
