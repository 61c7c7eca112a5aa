// The BackupChain dynamic provider: a plain object whose hooks only call helper modules.
// Pulumi serializes this object into the stack state; see docs/design.md ("Pulumi facts") for why
// nothing here may touch zod, execa or fast-xml-parser directly or hold a class instance.
import type * as pulumi from "@pulumi/pulumi";
import { connect } from "../connect.js";
import { checkBackupChain } from "./check.js";
import { diffBackupChain } from "./diff.js";
import { createBackupChain, deleteBackupChain, readBackupChain, updateBackupChain } from "./lifecycle.js";
import type { BackupChainOutputs } from "./schema.js";

export const backupChainProvider: pulumi.dynamic.ResourceProvider = {
  check: async (_olds: Record<string, unknown>, news: Record<string, unknown>) => checkBackupChain(news),
  diff: async (_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) =>
    diffBackupChain(olds, news),
  create: async (inputs: Record<string, unknown>) => createBackupChain(connect(String(inputs.uri)), inputs),
  read: async (id: string, props?: BackupChainOutputs) => {
    if (props === undefined)
      throw new Error("BackupChain cannot be read without its state (import is not supported)");
    return readBackupChain(connect(props.uri), id, props);
  },
  update: async (_id: string, olds: BackupChainOutputs, news: Record<string, unknown>) =>
    updateBackupChain(connect(olds.uri), olds, news),
  delete: async (_id: string, props: BackupChainOutputs) => deleteBackupChain(connect(props.uri), props),
};
