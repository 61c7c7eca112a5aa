// BackupChain create, read, update and delete: backups through takeBackup, state from the manifests.
import { chainFile, deleteChain, findChains, manifestPath, readManifest } from "../../backup/chain-store.js";
import { removeCheckpoint } from "../../backup/checkpoints.js";
import { type BackupRecord, type Manifest, ManifestError } from "../../backup/manifest.js";
import { chainOfCheckpoint } from "../../backup/naming.js";
import { type BackupOutcome, takeBackup } from "../../backup/take-backup.js";
import { inputsOf, parseInputsOrThrow } from "../../inputs/check-inputs.js";
import { withoutUndefined } from "../../inputs/plain-data.js";
import type { HostTools } from "../../tools/host-tools.js";
import type { DomainInfo } from "../../tools/virsh/domain-xml.js";
import { DomainNotFoundError } from "../../tools/virsh/errors.js";
import { PROVIDER_VERSION } from "../../version.js";
import { ResourceError } from "../resource-error.js";
import {
  type BackupChainInputs,
  type BackupChainOutputs,
  backupChainInputsSchema,
  type ChainOutput,
} from "./schema.js";

const RESOURCE = "BackupChain";

/** The first backup: a full one starting a chain (or, with `adopt`, the next of the chains found). */
export async function createBackupChain(
  tools: HostTools,
  news: Record<string, unknown>,
): Promise<{ id: string; outs: BackupChainOutputs }> {
  const inputs = parseInputsOrThrow(backupChainInputsSchema, news, RESOURCE);
  let owned: Manifest[] = [];
  if (inputs.adopt) {
    const domain = await tools.virsh.domain(inputs.domain);
    owned = (await findChains(tools.files, inputs.directory))
      .flatMap((found) => ("manifest" in found ? [found.manifest] : []))
      .filter((manifest) => manifest.domain.uuid === domain.uuid);
    tools.host.log.info(`adopting ${owned.length} chain(s) of ${domain.name} found in ${inputs.directory}`);
  }
  const outcome = await backUp(tools, inputs, owned);
  return {
    id: `${outcome.domain.uuid}:${inputs.directory}`,
    outs: toOutputs(inputs, outcome.domain, outcome.chains, []),
  };
}

/** The state rebuilt from the manifests on the host; an unreadable manifest is an error here. */
export async function readBackupChain(
  tools: HostTools,
  id: string,
  state: BackupChainOutputs,
): Promise<{ id: string; props: BackupChainOutputs }> {
  const { chains, unreadable } = await loadChains(tools, state);
  const broken = unreadable.find((chain) => !chain.gone);
  if (broken !== undefined) {
    throw new ResourceError(
      RESOURCE,
      "read",
      `BackupChain of domain "${state.domainName}": ${broken.error}. Nothing was changed or deleted. ` +
        "Restore the manifest from a copy, or move the chain directory away to let virtsnap start a new chain.",
      broken.cause,
    );
  }
  const domain = await findDomain(tools, state);
  return { id, props: toOutputs(inputsOf(backupChainInputsSchema, state), domain, chains, []) };
}

/** A new trigger takes the next backup; other changes only update the settings in the state. */
export async function updateBackupChain(
  tools: HostTools,
  state: BackupChainOutputs,
  news: Record<string, unknown>,
): Promise<{ outs: BackupChainOutputs }> {
  const inputs = parseInputsOrThrow(backupChainInputsSchema, news, RESOURCE);
  const { chains, unreadable } = await loadChains(tools, state);
  const kept = unreadable.filter((chain) => !chain.gone);
  for (const chain of kept) {
    tools.host.log.info(
      `warning: ${chain.error}; that chain is left untouched and a new chain will be started`,
    );
  }
  if (inputs.trigger === state.trigger) {
    const domain = await findDomain(tools, state);
    return { outs: toOutputs(inputs, domain, chains, kept) };
  }
  // A chain whose manifest cannot be read cannot be continued: start a new one next to it.
  const newest = kept.find((chain) => chain.chainId === newestId(state));
  const outcome = await backUp(
    tools,
    inputs,
    chains,
    newest === undefined ? undefined : `the manifest of the newest chain ${newest.chainId} cannot be read`,
  );
  return { outs: toOutputs(inputs, outcome.domain, outcome.chains, kept) };
}

/**
 * Removes this resource's checkpoints from the domain. Backup files stay, unless
 * `deleteBackupsOnDestroy`: then exactly the chain directories it created are removed.
 */
export async function deleteBackupChain(tools: HostTools, state: BackupChainOutputs): Promise<void> {
  const owned = new Set([
    ...state.chains.map((c) => c.chainId),
    ...state.unreadableChains.map((c) => c.chainId),
  ]);
  try {
    const checkpoints = await tools.virsh.checkpointNames(state.domainUuid, { topological: true });
    for (const checkpoint of checkpoints.reverse()) {
      const chainId = chainOfCheckpoint(checkpoint);
      if (chainId === undefined || !owned.has(chainId)) continue;
      const removed = await removeCheckpoint(tools, { uuid: state.domainUuid }, checkpoint);
      for (const note of removed.notes) tools.host.log.info(`warning: ${note}`);
    }
  } catch (error) {
    if (!(error instanceof DomainNotFoundError)) throw error;
  }
  if (!state.deleteBackupsOnDestroy) return;
  const { chains } = await loadChains(tools, state);
  for (const chain of chains) {
    const removedDirectory = await deleteChain(tools.files, state.directory, chain);
    tools.host.log.info(
      `deleted backup chain ${chain.chainId}${removedDirectory ? "" : " (its directory holds other files and was kept)"}`,
    );
  }
}

async function backUp(
  tools: HostTools,
  inputs: BackupChainInputs,
  owned: Manifest[],
  newChainReason?: string,
): Promise<BackupOutcome> {
  return takeBackup(
    tools,
    { domain: inputs.domain, directory: inputs.directory },
    {
      ...(inputs.disks === undefined ? {} : { disks: inputs.disks }),
      fullEvery: inputs.fullEvery,
      keepChains: inputs.keepChains,
      verify: inputs.verify,
      timeoutMs: inputs.timeoutMinutes * 60_000,
      ...(newChainReason === undefined ? {} : { newChainReason }),
    },
    owned,
  );
}

interface UnreadableChain {
  readonly chainId: string;
  readonly error: string;
  /** The chain directory and manifest are gone altogether (removed by someone): drop the chain. */
  readonly gone: boolean;
  readonly cause: ManifestError;
}

/** The state's chains as their manifests say now, oldest first, and those that cannot be read. */
async function loadChains(
  tools: HostTools,
  state: BackupChainOutputs,
): Promise<{ chains: Manifest[]; unreadable: UnreadableChain[] }> {
  const ids = [...state.chains.map((c) => c.chainId), ...state.unreadableChains.map((c) => c.chainId)].sort();
  const chains: Manifest[] = [];
  const unreadable: UnreadableChain[] = [];
  for (const chainId of ids) {
    try {
      chains.push(await readManifest(tools.files, state.directory, chainId));
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      unreadable.push({ chainId, error: error.message, gone: error.problem === "missing", cause: error });
    }
  }
  return { chains, unreadable };
}

function newestId(state: BackupChainOutputs): string | undefined {
  return [...state.chains.map((c) => c.chainId), ...state.unreadableChains.map((c) => c.chainId)]
    .sort()
    .at(-1);
}

/** The domain as libvirt knows it now, or the names recorded in the state if it is gone. */
async function findDomain(
  tools: HostTools,
  state: BackupChainOutputs,
): Promise<Pick<DomainInfo, "name" | "uuid">> {
  try {
    return await tools.virsh.domain(state.domainUuid);
  } catch (error) {
    if (error instanceof DomainNotFoundError) return { name: state.domainName, uuid: state.domainUuid };
    throw error;
  }
}

function toOutputs(
  inputs: BackupChainInputs,
  domain: Pick<DomainInfo, "name" | "uuid">,
  chains: readonly Manifest[],
  unreadable: readonly UnreadableChain[],
): BackupChainOutputs {
  const sorted = [...chains].sort((a, b) => a.chainId.localeCompare(b.chainId));
  const last = sorted
    .flatMap((chain) => chain.backups)
    .sort((a, b) => a.completedAt.localeCompare(b.completedAt))
    .at(-1) as BackupRecord | undefined;
  return withoutUndefined({
    ...inputs,
    providerVersion: PROVIDER_VERSION,
    domainName: domain.name,
    domainUuid: domain.uuid,
    chains: sorted.map((chain) => chainOutput(inputs.directory, chain)),
    unreadableChains: unreadable.map(({ chainId, error }) => ({ chainId, error })),
    manifestPaths: sorted.map((chain) => manifestPath(inputs.directory, chain.chainId)),
    lastBackupAt: last?.completedAt,
    lastBackupLevel: last?.level,
    lastBackupReason: last?.reason,
  });
}

function chainOutput(directory: string, chain: Manifest): ChainOutput {
  return {
    chainId: chain.chainId,
    directory: `${directory}/${chain.chainId}`,
    manifestPath: manifestPath(directory, chain.chainId),
    createdAt: chain.createdAt,
    disks: chain.disks,
    backups: chain.backups.map((backup) => ({
      sequence: backup.sequence,
      level: backup.level,
      checkpoint: backup.checkpoint,
      startedAt: backup.startedAt,
      completedAt: backup.completedAt,
      reason: backup.reason,
      copiedBytes: backup.copiedBytes,
      files: Object.fromEntries(
        backup.disks.map((disk) => [
          disk.target,
          { path: chainFile(directory, chain.chainId, disk.file), size: disk.fileSize },
        ]),
      ),
    })),
  };
}
