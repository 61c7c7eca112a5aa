// Tool output → tree → zod → our type, with one error class that keeps the raw text.
import type { z } from "zod";

/** A tool printed something we could not parse or that did not have the expected shape. */
export class OutputParseError extends Error {
  readonly source: string;
  readonly raw: string;

  constructor(source: string, raw: string, detail: string, cause?: unknown) {
    super(`unexpected output from ${source}: ${detail}`, cause === undefined ? undefined : { cause });
    this.name = "OutputParseError";
    this.source = source;
    this.raw = raw;
  }
}

/** Parses `raw` with `toTree` (XML or JSON) and checks the tree against `schema`. */
export function parseOutput<Schema extends z.ZodType>(
  source: string,
  raw: string,
  schema: Schema,
  toTree: (text: string) => unknown,
): z.output<Schema> {
  let tree: unknown;
  try {
    tree = toTree(raw);
  } catch (error) {
    throw new OutputParseError(source, raw, error instanceof Error ? error.message : String(error), error);
  }
  const result = schema.safeParse(tree);
  if (!result.success) {
    const detail = result.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new OutputParseError(source, raw, detail.join("; "), result.error);
  }
  return result.data;
}
