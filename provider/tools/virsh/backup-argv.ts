// Pure builders of the virsh argv for backups: backup-begin, domain jobs and checkpoints.
import { virshArgv } from "./argv.js";

/**
 * `backup-begin` with the backup (and optional checkpoint) XML in files on this machine:
 * virsh 9.0 reads `--backupxml` and `--checkpointxml` as file names, and cannot read
 * /dev/stdin when Node starts it (see provider/host/temp-file.ts).
 */
export function backupBeginArgv(
  uri: string,
  domain: string,
  backupXmlFile: string,
  checkpointXmlFile?: string,
): string[] {
  return virshArgv(uri, [
    "backup-begin",
    "--domain",
    domain,
    "--backupxml",
    backupXmlFile,
    ...(checkpointXmlFile === undefined ? [] : ["--checkpointxml", checkpointXmlFile]),
  ]);
}

/**
 * `domjobinfo --rawstats`: the job type as libvirt's number and the job's typed parameters
 * under their libvirt names (`operation`, `time_elapsed`, `disk_processed`, ...), one per line.
 * The default output formats and rounds the sizes (`1.503 GiB`); the raw one is exact.
 * `completed` reads the statistics of the last finished job; libvirt discards them on that read
 * unless `keepCompleted` is set.
 */
export function domJobInfoArgv(
  uri: string,
  domain: string,
  options: { completed?: boolean; keepCompleted?: boolean } = {},
): string[] {
  return virshArgv(uri, [
    "domjobinfo",
    "--domain",
    domain,
    ...(options.completed ? ["--completed"] : []),
    ...(options.keepCompleted ? ["--keep-completed"] : []),
    "--rawstats",
  ]);
}

/** Aborts the domain's running job (a push backup ends as type Cancelled). */
export function domJobAbortArgv(uri: string, domain: string): string[] {
  return virshArgv(uri, ["domjobabort", "--domain", domain]);
}

/** `checkpoint-create` reading the checkpoint XML from a file on this machine. */
export function checkpointCreateArgv(
  uri: string,
  domain: string,
  xmlFile: string,
  options: { redefine?: boolean } = {},
): string[] {
  return virshArgv(uri, [
    "checkpoint-create",
    "--domain",
    domain,
    "--xmlfile",
    xmlFile,
    ...(options.redefine ? ["--redefine"] : []),
  ]);
}

/** Checkpoint names, one per line; `topological` puts every parent before its children. */
export function checkpointListArgv(
  uri: string,
  domain: string,
  options: { topological?: boolean } = {},
): string[] {
  return virshArgv(uri, [
    "checkpoint-list",
    "--domain",
    domain,
    "--name",
    ...(options.topological ? ["--topological"] : []),
  ]);
}

/**
 * `checkpoint-dumpxml`; `size` adds each disk's dirty bytes since the checkpoint (running
 * domains only), `noDomain` leaves out the copy of the domain definition.
 */
export function checkpointDumpXmlArgv(
  uri: string,
  domain: string,
  checkpoint: string,
  options: { size?: boolean; noDomain?: boolean } = {},
): string[] {
  return virshArgv(uri, [
    "checkpoint-dumpxml",
    "--domain",
    domain,
    "--checkpointname",
    checkpoint,
    ...(options.size ? ["--size"] : []),
    ...(options.noDomain ? ["--no-domain"] : []),
  ]);
}

/** Deletes a checkpoint and its bitmaps; with `metadataOnly` libvirt forgets it and leaves the images alone. */
export function checkpointDeleteArgv(
  uri: string,
  domain: string,
  checkpoint: string,
  options: { metadataOnly?: boolean } = {},
): string[] {
  return virshArgv(uri, [
    "checkpoint-delete",
    "--domain",
    domain,
    "--checkpointname",
    checkpoint,
    ...(options.metadataOnly ? ["--metadata"] : []),
  ]);
}
