// DomainSnapshot create, read, update and delete against a host, through virsh on a CommandRunner.
import { inputsOf, parseInputsOrThrow } from "../../inputs/check-inputs.js";
import { withoutUndefined } from "../../inputs/plain-data.js";
import type { HostTools } from "../../tools/host-tools.js";
import type { SnapshotCreateFlags } from "../../tools/virsh/argv.js";
import type { DomainInfo } from "../../tools/virsh/domain-xml.js";
import { DomainNotFoundError, SnapshotNotFoundError } from "../../tools/virsh/errors.js";
import {
  buildSnapshotXml,
  type SnapshotInfo,
  type SnapshotSpec,
  withDescription,
} from "../../tools/virsh/snapshot-xml.js";
import type { VirshClient } from "../../tools/virsh/virsh-client.js";
import { PROVIDER_VERSION } from "../../version.js";
import { ResourceError } from "../resource-error.js";
import { createFailure, deleteFailure } from "./messages.js";
import {
  type DomainSnapshotInputs,
  type DomainSnapshotOutputs,
  domainSnapshotInputsSchema,
  type EffectiveDisk,
} from "./schema.js";

const RESOURCE = "DomainSnapshot";

export interface CreateOutcome {
  readonly id: string;
  readonly outs: DomainSnapshotOutputs;
}

/**
 * Takes the snapshot (or, with `adopt`, takes over an existing one that matches). Either the
 * snapshot exists afterwards and its outputs are returned, or nothing was left on the host.
 */
export async function createDomainSnapshot(
  { virsh }: HostTools,
  news: Record<string, unknown>,
): Promise<CreateOutcome> {
  const inputs = parseInputsOrThrow(domainSnapshotInputsSchema, news, RESOURCE);
  const domain = await virsh.domain(inputs.domain).catch((error: unknown) => {
    throw createFailure(error, inputs.name, inputs.domain);
  });
  assertDisksExist(inputs, domain);

  if (inputs.adopt) {
    const existing = await findSnapshot(virsh, domain.uuid, inputs.name);
    if (existing !== undefined) return adopt(virsh, inputs, domain, existing);
  }

  const xml = buildSnapshotXml(snapshotSpec(inputs));
  await virsh.createSnapshot(domain.uuid, xml, createFlags(inputs, domain.active)).catch((error: unknown) => {
    throw createFailure(error, inputs.name, domain.name);
  });
  try {
    const { info } = await virsh.snapshot(domain.uuid, inputs.name);
    return { id: snapshotId(domain.uuid, inputs.name), outs: toOutputs(inputs, domain, info, false) };
  } catch (error) {
    // Transactional create: a snapshot we cannot describe is removed again before we fail.
    await virsh.deleteSnapshot(domain.uuid, inputs.name).catch(() => undefined);
    throw error;
  }
}

/** What the host has now; a snapshot (or domain) that is gone reads as gone (empty id). */
export async function readDomainSnapshot(
  { virsh }: HostTools,
  id: string,
  state: DomainSnapshotOutputs,
): Promise<{ id: string; props: DomainSnapshotOutputs | Record<string, never> }> {
  const found = await findSnapshot(virsh, state.domainUuid, state.name);
  if (found === undefined) return { id: "", props: {} };
  const domain = await virsh.domain(state.domainUuid);
  const inputs = { ...inputsOf(domainSnapshotInputsSchema, state), description: found.info.description };
  return { id, props: toOutputs(inputs, domain, found.info, state.adopted) };
}

/** Applies in-place changes: a new description (libvirt redefines the snapshot), or onDelete. */
export async function updateDomainSnapshot(
  { virsh }: HostTools,
  state: DomainSnapshotOutputs,
  news: Record<string, unknown>,
): Promise<{ outs: DomainSnapshotOutputs }> {
  const inputs = parseInputsOrThrow(domainSnapshotInputsSchema, news, RESOURCE);
  const found = await virsh.snapshot(state.domainUuid, state.name);
  let info = found.info;
  if (info.description !== inputs.description) {
    const xml = withDescription(found.xml, inputs.description);
    await virsh.createSnapshot(state.domainUuid, xml, { redefine: true }).catch((error: unknown) => {
      throw createFailure(error, state.name, state.domainName);
    });
    info = (await virsh.snapshot(state.domainUuid, state.name)).info;
  }
  const domain = await virsh.domain(state.domainUuid);
  return { outs: toOutputs(inputs, domain, info, state.adopted) };
}

/** Deletes the snapshot (or only libvirt's record of it); one already gone is success. */
export async function deleteDomainSnapshot(
  { virsh }: HostTools,
  state: DomainSnapshotOutputs,
): Promise<void> {
  try {
    await virsh.deleteSnapshot(state.domainUuid, state.name, {
      metadataOnly: state.onDelete === "metadata-only",
    });
  } catch (error) {
    if (error instanceof SnapshotNotFoundError || error instanceof DomainNotFoundError) return;
    throw deleteFailure(error, state.name, state.domainName);
  }
}

export function snapshotId(domainUuid: string, name: string): string {
  return `${domainUuid}/${name}`;
}

async function adopt(
  virsh: VirshClient,
  inputs: DomainSnapshotInputs,
  domain: DomainInfo,
  existing: { info: SnapshotInfo; xml: string },
): Promise<CreateOutcome> {
  const mismatches = adoptMismatches(inputs, existing.info);
  if (mismatches.length > 0) {
    throw new ResourceError(
      RESOURCE,
      "create",
      `Snapshot "${inputs.name}" of domain "${domain.name}" exists but does not match the program ` +
        `(${mismatches.join("; ")}). Change the program to match it, or delete the snapshot and let Pulumi take a new one.`,
    );
  }
  let info = existing.info;
  if (info.description !== inputs.description) {
    const xml = withDescription(existing.xml, inputs.description);
    await virsh.createSnapshot(domain.uuid, xml, { redefine: true });
    info = (await virsh.snapshot(domain.uuid, inputs.name)).info;
  }
  return { id: snapshotId(domain.uuid, inputs.name), outs: toOutputs(inputs, domain, info, true) };
}

/** Differences between what the program asks for and an existing snapshot, in words. */
function adoptMismatches(inputs: DomainSnapshotInputs, info: SnapshotInfo): string[] {
  const mismatches: string[] = [];
  if (inputs.memory !== undefined && inputs.memory !== info.memory.mode) {
    mismatches.push(`memory is '${info.memory.mode}', the program asks for '${inputs.memory}'`);
  }
  for (const [target, wanted] of Object.entries(inputs.disks ?? {})) {
    const actual = info.disks.find((disk) => disk.target === target);
    const actualMode = actual?.mode ?? "exclude";
    if (actualMode !== wanted.mode) {
      mismatches.push(`disk ${target} is '${actualMode}', the program asks for '${wanted.mode}'`);
    } else if (wanted.mode === "external" && wanted.file !== undefined && actual?.file !== wanted.file) {
      mismatches.push(
        `disk ${target} overlay is ${actual?.file ?? "unknown"}, the program asks for ${wanted.file}`,
      );
    }
  }
  return mismatches;
}

function assertDisksExist(inputs: DomainSnapshotInputs, domain: DomainInfo): void {
  const targets = domain.disks.map((disk) => disk.target);
  const unknown = Object.keys(inputs.disks ?? {}).filter((target) => !targets.includes(target));
  if (unknown.length > 0) {
    throw new ResourceError(
      RESOURCE,
      "create",
      `DomainSnapshot "${inputs.name}": disks.${unknown[0]} is not a disk of domain "${domain.name}" ` +
        `(its disks: ${targets.join(", ") || "none"}).`,
    );
  }
}

async function findSnapshot(
  virsh: VirshClient,
  domain: string,
  name: string,
): Promise<{ info: SnapshotInfo; xml: string } | undefined> {
  try {
    return await virsh.snapshot(domain, name);
  } catch (error) {
    if (error instanceof SnapshotNotFoundError || error instanceof DomainNotFoundError) return undefined;
    throw error;
  }
}

function snapshotSpec(inputs: DomainSnapshotInputs): SnapshotSpec {
  return {
    name: inputs.name,
    ...(inputs.description === undefined ? {} : { description: inputs.description }),
    ...(inputs.memory === undefined
      ? {}
      : {
          memory: {
            mode: inputs.memory,
            ...(inputs.memoryFile === undefined ? {} : { file: inputs.memoryFile }),
          },
        }),
    disks: Object.entries(inputs.disks ?? {}).map(([target, disk]) => ({
      target,
      mode: disk.mode,
      ...(disk.mode === "external" && disk.file !== undefined ? { file: disk.file } : {}),
    })),
  };
}

/**
 * virsh flags for the inputs. Without memory, a snapshot of a running domain or one with
 * external disks is disk-only (VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY); with no memory choice and
 * no external disk, libvirt's default applies (memory and disks internal when running).
 */
function createFlags(inputs: DomainSnapshotInputs, running: boolean): SnapshotCreateFlags {
  const anyExternal = Object.values(inputs.disks ?? {}).some((disk) => disk.mode === "external");
  const withoutMemory = inputs.memory === undefined || inputs.memory === "none";
  return {
    diskOnly: withoutMemory && ((inputs.memory === "none" && running) || anyExternal),
    atomic: inputs.atomic,
    quiesce: inputs.quiesce,
    live: inputs.live,
  };
}

function toOutputs(
  inputs: DomainSnapshotInputs,
  domain: DomainInfo,
  info: SnapshotInfo,
  adopted: boolean,
): DomainSnapshotOutputs {
  const snapshotDisks: Record<string, EffectiveDisk> = {};
  for (const disk of info.disks) {
    snapshotDisks[disk.target] = { mode: disk.mode, ...(disk.file === undefined ? {} : { file: disk.file }) };
  }
  return withoutUndefined({
    ...inputs,
    providerVersion: PROVIDER_VERSION,
    domainName: domain.name,
    domainUuid: domain.uuid,
    createdAt: new Date(info.creationTime * 1000).toISOString(),
    domainState: info.state,
    parent: info.parent,
    snapshotDisks,
    snapshotMemory: info.memory,
    adopted,
  });
}
