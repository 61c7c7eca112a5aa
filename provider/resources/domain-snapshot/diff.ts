// DomainSnapshot diff: a description or onDelete change updates in place, anything else replaces.
import { type DiffOutcome, diffInputs } from "../diff-inputs.js";
import { domainSnapshotInputsSchema } from "./schema.js";

export function diffDomainSnapshot(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffOutcome {
  return diffInputs(
    domainSnapshotInputsSchema,
    {
      inPlace: new Set(["description", "onDelete"]),
      ignored: new Set(["adopt"]),
      // Same name on the same domain: the old snapshot must go before the new one can be made.
      identity: ["uri", "domain", "name"],
    },
    olds,
    news,
  );
}
