// Pure builders of the virsh argv that list storage pools and the volumes in one.
import { virshArgv } from "./argv.js";

/** Pool names, one per line: every defined pool with `all`, else only the active ones. */
export function poolNamesArgv(uri: string, options: { all?: boolean } = {}): string[] {
  return virshArgv(uri, ["pool-list", ...(options.all ? ["--all"] : []), "--name"]);
}

/** The volumes of an active pool as a table of name and path (virsh 9.0 has no `--name` here). */
export function poolVolumesArgv(uri: string, pool: string): string[] {
  return virshArgv(uri, ["vol-list", "--pool", pool]);
}
