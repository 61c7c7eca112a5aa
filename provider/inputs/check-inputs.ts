// Turns a zod schema's verdict on a resource's inputs into Pulumi check failures.
import type { z } from "zod";
import { VirtsnapError } from "../errors.js";
import { isUnknownAt } from "./unknown.js";

/** One check failure as Pulumi shows it: the property and what is wrong with it. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

interface CheckOutcome<T> {
  /** The inputs with defaults applied, or the inputs as given while some are still unknown. */
  readonly inputs: T | Record<string, unknown>;
  readonly failures: CheckFailure[];
  /** True when every input was known and valid: `inputs` is then the parsed value. */
  readonly complete: boolean;
}

/**
 * Validates `news` with `schema`. Issues about values that are unknown during preview are
 * dropped (they are checked again when the values are known). Never touches a host.
 */
export function checkInputs<Schema extends z.ZodType>(
  schema: Schema,
  news: Record<string, unknown>,
): CheckOutcome<z.output<Schema>> {
  const result = schema.safeParse(withoutEngineKeys(news));
  if (result.success) return { inputs: result.data, failures: [], complete: true };
  const failures = result.error.issues
    .filter((issue) => !isUnknownAt(news, issue.path))
    .flatMap((issue) => toFailures(issue));
  return { inputs: news, failures, complete: false };
}

/** Inputs that a hook other than check received although they fail the schema (or are not known yet). */
export class InvalidInputsError extends VirtsnapError {
  readonly code = "inputs-invalid";
  readonly resource: string;
  readonly failures: readonly CheckFailure[];

  constructor(resource: string, failures: readonly CheckFailure[]) {
    const detail = failures.map((failure) => `${failure.property}: ${failure.reason}`).join("; ");
    super(`invalid ${resource} inputs: ${detail || "some values are not known yet"}`);
    this.resource = resource;
    this.failures = failures;
  }
}

/** The checked inputs, or an InvalidInputsError naming every failure, for hooks other than check. */
export function parseInputsOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  news: Record<string, unknown>,
  resource: string,
): z.output<Schema> {
  const outcome = checkInputs(schema, news);
  if (outcome.complete) return outcome.inputs as z.output<Schema>;
  throw new InvalidInputsError(resource, outcome.failures);
}

/**
 * The inputs within a resource's state (which also holds outputs): the keys `schema` declares.
 * State is written by our own create/update, so its inputs were checked then.
 */
export function inputsOf<Schema extends z.ZodObject>(schema: Schema, state: object): z.output<Schema> {
  const keys = Object.keys(schema.shape);
  return Object.fromEntries(Object.entries(state).filter(([key]) => keys.includes(key))) as z.output<Schema>;
}

/** Drops keys the dynamic-provider runtime adds (`__provider`): they are not user inputs. */
function withoutEngineKeys(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !key.startsWith("__")));
}

function toFailures(issue: z.core.$ZodIssue): CheckFailure[] {
  if (issue.code === "unrecognized_keys") {
    const prefix = issue.path.length > 0 ? `${issue.path.join(".")}.` : "";
    return issue.keys.map((key) => ({ property: `${prefix}${key}`, reason: "is not a known property" }));
  }
  const property = issue.path.map(String).join(".") || "(inputs)";
  // A bad record key (zod's invalid_key) carries the key schema's own message inside.
  const reason = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  return [{ property, reason }];
}
