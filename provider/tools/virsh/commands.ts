// virsh operations on a CommandRunner: build the argv, run it, parse the answer, classify failures.

import type { CommandRunner } from "../../host/command-runner.js";
import { withTempFile } from "../../host/temp-file.js";
import {
  domainDumpXmlArgv,
  type SnapshotCreateFlags,
  snapshotCreateArgv,
  snapshotDeleteArgv,
  snapshotDumpXmlArgv,
  snapshotListArgv,
} from "./argv.js";
import { type DomainInfo, parseDomainXml } from "./domain-xml.js";
import { parseLineList } from "./name-list.js";
import { runVirsh } from "./run-virsh.js";
import { parseSnapshotXml, type SnapshotInfo } from "./snapshot-xml.js";

/** A snapshot create with memory saves guest RAM: allow for large guests on slow disks. */
export const SNAPSHOT_CREATE_TIMEOUT_MS = 30 * 60_000;

export async function getDomain(runner: CommandRunner, uri: string, domain: string): Promise<DomainInfo> {
  return parseDomainXml(await runVirsh(runner, domainDumpXmlArgv(uri, domain)));
}

/** A snapshot's parsed description and the raw XML it came from (for redefine). */
export async function getSnapshot(
  runner: CommandRunner,
  uri: string,
  domain: string,
  snapshot: string,
): Promise<{ info: SnapshotInfo; xml: string }> {
  const xml = await runVirsh(runner, snapshotDumpXmlArgv(uri, domain, snapshot));
  return { info: parseSnapshotXml(xml), xml };
}

/** Names of the domain's snapshots (`snapshot-list --name`, one per line). */
export async function listSnapshots(runner: CommandRunner, uri: string, domain: string): Promise<string[]> {
  return parseLineList("virsh snapshot-list --name", await runVirsh(runner, snapshotListArgv(uri, domain)));
}

export async function createSnapshot(
  runner: CommandRunner,
  uri: string,
  domain: string,
  xml: string,
  flags: SnapshotCreateFlags,
): Promise<void> {
  await withTempFile("snapshot.xml", xml, (file) =>
    runVirsh(runner, snapshotCreateArgv(uri, domain, file, flags), { timeoutMs: SNAPSHOT_CREATE_TIMEOUT_MS }),
  );
}

export async function deleteSnapshot(
  runner: CommandRunner,
  uri: string,
  domain: string,
  snapshot: string,
  metadataOnly: boolean,
): Promise<void> {
  await runVirsh(runner, snapshotDeleteArgv(uri, domain, snapshot, metadataOnly), {
    timeoutMs: SNAPSHOT_CREATE_TIMEOUT_MS,
  });
}
