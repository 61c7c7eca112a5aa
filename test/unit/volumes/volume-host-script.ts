// Scripted answers for the volume tests: virsh and qemu-img as the real tools answered (fixtures).
import { fixture } from "../../support/fixtures.js";
import type { ScriptedRule } from "../../support/recording-command-runner.js";

export { fixture };

/** Where scripts/capture-volume-fixtures.sh made its pool, domain and images. */
export const DIR = "/var/lib/libvirt/images/virtsnap-volume-fixtures";
/** The running domain of volume-dumpxml-users: vda is pool volume golden.qcow2, vdb an overlay on base.qcow2. */
export const DOMAIN = {
  name: "virtsnap-volume-fixtures",
  uuid: "27efe103-8b1c-45aa-b871-e0a5925c7f99",
  golden: `${DIR}/pool/golden.qcow2`,
  overlay: `${DIR}/overlay.qcow2`,
  base: `${DIR}/base.qcow2`,
};

/** `virsh ... <subcommand> ...` */
export const virshRun =
  (subcommand: string) =>
  (argv: readonly string[]): boolean =>
    argv[0] === "virsh" && argv.includes(subcommand);

/** `qemu-img <subcommand> ...`, with or without `-U`. */
export const qemuImg =
  (subcommand: string, options: { shared?: boolean } = {}) =>
  (argv: readonly string[]): boolean =>
    argv[0] === "qemu-img" &&
    argv[1] === subcommand &&
    (options.shared === undefined || argv.includes("-U") === options.shared);

/** `realpath -e` (`existing`) or `realpath -m`, answering `paths` NUL-terminated, as realpath -z does. */
export function realpath(existing: boolean, paths: readonly string[]): ScriptedRule {
  return {
    match: (argv) => argv[0] === "realpath" && argv[1] === (existing ? "-e" : "-m"),
    answer: { stdout: paths.map((path) => `${path}\0`).join("") },
  };
}

/** A `stat -c '%f %s %Y %u %g'` line for a regular file of mode 0644. */
export const REGULAR_FILE_STAT = "81a4 196616 1795831397 0 0\n";

/** The domain list, dumpxml and vol-path answers of the captured running domain. */
export const RUNNING_DOMAIN: readonly ScriptedRule[] = [
  { match: virshRun("list"), answer: { stdout: fixture("virsh", "volume-list-uuids.stdout") } },
  { match: virshRun("dumpxml"), answer: { stdout: fixture("virsh", "volume-dumpxml-users.stdout") } },
  { match: virshRun("vol-path"), answer: { stdout: fixture("virsh", "volume-path.stdout") } },
  // The paths of the domain's disks and backing files, in the order the check collects them.
  realpath(false, [DOMAIN.golden, DOMAIN.overlay, DOMAIN.base]),
];
