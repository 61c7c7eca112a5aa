// The DomainSnapshot dynamic provider: a plain object whose hooks only call helper modules.
// Pulumi serializes this object into the stack state; see docs/design.md ("Pulumi facts") for why
// nothing here may touch zod, execa or fast-xml-parser directly or hold a class instance.
import type * as pulumi from "@pulumi/pulumi";
import { connect } from "../connect.js";
import { checkDomainSnapshot } from "./check.js";
import { diffDomainSnapshot } from "./diff.js";
import {
  createDomainSnapshot,
  deleteDomainSnapshot,
  readDomainSnapshot,
  updateDomainSnapshot,
} from "./lifecycle.js";
import type { DomainSnapshotOutputs } from "./schema.js";

export const domainSnapshotProvider: pulumi.dynamic.ResourceProvider = {
  check: async (_olds: Record<string, unknown>, news: Record<string, unknown>) => checkDomainSnapshot(news),
  diff: async (_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) =>
    diffDomainSnapshot(olds, news),
  create: async (inputs: Record<string, unknown>) =>
    createDomainSnapshot(connect(String(inputs.uri)), inputs),
  read: async (id: string, props?: DomainSnapshotOutputs) => {
    if (props === undefined)
      throw new Error("DomainSnapshot cannot be read without its state (import is not supported)");
    return readDomainSnapshot(connect(props.uri), id, props);
  },
  update: async (_id: string, olds: DomainSnapshotOutputs, news: Record<string, unknown>) =>
    updateDomainSnapshot(connect(olds.uri), olds, news),
  delete: async (_id: string, props: DomainSnapshotOutputs) =>
    deleteDomainSnapshot(connect(props.uri), props),
};
