// BackupChain check: validates inputs with the schema; never touches a host.
import { type CheckFailure, checkInputs } from "../../inputs/check-inputs.js";
import { backupChainInputsSchema } from "./schema.js";

export function checkBackupChain(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const { inputs, failures } = checkInputs(backupChainInputsSchema, news);
  return { inputs: inputs as Record<string, unknown>, failures };
}
