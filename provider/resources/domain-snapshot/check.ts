// DomainSnapshot check: validates inputs with the schema; never touches a host.
import { type CheckFailure, checkInputs } from "../../inputs/check-inputs.js";
import { domainSnapshotInputsSchema } from "./schema.js";

export function checkDomainSnapshot(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const { inputs, failures } = checkInputs(domainSnapshotInputsSchema, news);
  return { inputs: inputs as Record<string, unknown>, failures };
}
