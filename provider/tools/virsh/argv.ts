// Pure builders of virsh argv arrays: what to run, never how (the CommandRunner runs them).

/** `virsh --connect URI --quiet ...`: the URI is always explicit, the chatter is off. */
export function virshArgv(uri: string, args: readonly string[]): string[] {
  return ["virsh", "--connect", uri, "--quiet", ...args];
}

export function domainDumpXmlArgv(
  uri: string,
  domain: string,
  options: { inactive?: boolean } = {},
): string[] {
  return virshArgv(uri, ["dumpxml", "--domain", domain, ...(options.inactive ? ["--inactive"] : [])]);
}

/** Flags of `virsh snapshot-create`, each one a libvirt VIR_DOMAIN_SNAPSHOT_CREATE_* flag. */
export interface SnapshotCreateFlags {
  readonly diskOnly?: boolean;
  readonly atomic?: boolean;
  readonly quiesce?: boolean;
  readonly live?: boolean;
  readonly redefine?: boolean;
}

/** `snapshot-create` reading the snapshot XML from a file on this machine. */
export function snapshotCreateArgv(
  uri: string,
  domain: string,
  xmlFile: string,
  flags: SnapshotCreateFlags,
): string[] {
  return virshArgv(uri, [
    "snapshot-create",
    "--domain",
    domain,
    "--xmlfile",
    xmlFile,
    ...(flags.redefine ? ["--redefine"] : []),
    ...(flags.diskOnly ? ["--disk-only"] : []),
    ...(flags.atomic ? ["--atomic"] : []),
    ...(flags.quiesce ? ["--quiesce"] : []),
    ...(flags.live ? ["--live"] : []),
  ]);
}

export function snapshotDumpXmlArgv(uri: string, domain: string, snapshot: string): string[] {
  return virshArgv(uri, ["snapshot-dumpxml", "--domain", domain, "--snapshotname", snapshot]);
}

/** Snapshot names, one per line. */
export function snapshotListArgv(uri: string, domain: string): string[] {
  return virshArgv(uri, ["snapshot-list", "--domain", domain, "--name"]);
}

/** Deletes a snapshot; with `metadataOnly` libvirt forgets it and leaves the images alone. */
export function snapshotDeleteArgv(
  uri: string,
  domain: string,
  snapshot: string,
  metadataOnly: boolean,
): string[] {
  return virshArgv(uri, [
    "snapshot-delete",
    "--domain",
    domain,
    "--snapshotname",
    snapshot,
    ...(metadataOnly ? ["--metadata"] : []),
  ]);
}
