// Help text for the virtsnap command and each of its subcommands.

export const COMMANDS = ["list", "restore", "verify", "volume"] as const;
type CommandName = (typeof COMMANDS)[number];

const OVERVIEW = `virtsnap: restore and verify backups taken by virtsnap's BackupChain

Usage: virtsnap <command> [options]

Commands:
  list <dir>               the chains and backups in a backup directory
  restore <dir> --to <dir> a point in time as standalone qcow2 images
  verify <dir>             check every manifest, file, size and backing link
  volume list <vol>        the internal snapshots of a qcow2 image (VolumeSnapshot)
  volume revert <vol> <s>  an image no running domain uses back to a snapshot

Options for every command:
  --uri URI     run on the host of a libvirt URI (qemu+ssh://user@host/system); default: here
  --domain NAME only the backups of this domain (name or UUID)
  --json        machine-readable output
  -h, --help    help for a command

Run 'virtsnap help <command>' for a command's options.
`;

const HELP: Record<CommandName, string> = {
  list: `Usage: virtsnap list <dir> [--domain NAME] [--uri URI] [--json]

Prints one row per backup: chain, domain, sequence, level (full or incremental), when it
completed, the bytes the backup job copied, the bytes its files take on disk, and its disks.
Exits 1 when a manifest cannot be read (it is named on stderr).
`,
  restore: `Usage: virtsnap restore <dir> --to <dir> [--chain ID] [--at SEQ|latest|TIME] [--disk vda]...
                        [--domain NAME] [--uri URI] [--json]

Writes <to>/<disk>.qcow2 for each disk: the disk as it was at that backup, as one qcow2 image
with no backing file, checked with qemu-img check. Never overwrites a file.

  --to DIR     where to write the images (created if missing)
  --chain ID   the chain to restore from (default: the newest, or for --at TIME the newest
               chain with a backup completed by then)
  --at POINT   a backup number of the chain (0 is its full backup), latest (default), or an
               ISO 8601 time: the last backup completed by then
  --disk NAME  restore only this disk; repeat for several (default: every disk of the chain)

The same works without virtsnap: qemu-img convert -O qcow2 <dir>/<chain>/<NNNN>-...-vda.qcow2 out.qcow2
`,
  verify: `Usage: virtsnap verify <dir> [--domain NAME] [--uri URI] [--json]

For every chain: the manifest parses and its backups form one chain; every file exists, has
the size the manifest recorded, passes qemu-img check, has the recorded virtual size, and is
backed by exactly the previous backup's file. Exits 0 when all is well, 1 on any problem.
`,
  volume: `Usage: virtsnap volume list <path|pool/volume> [--uri URI] [--json]
       virtsnap volume revert <path|pool/volume> <snapshot> --yes [--uri URI]

The internal snapshots of a qcow2 image (those VolumeSnapshot takes). The volume is an image
path (/var/lib/libvirt/images/golden.qcow2, or ./golden.qcow2) or a storage pool volume as
POOL/VOLUME. --uri is the libvirt URI (default: LIBVIRT_DEFAULT_URI, else qemu:///system);
qemu-img runs on its host (over ssh for qemu+ssh://).

  list     one row per snapshot: id, name, saved VM state size, date. Works while a domain
           uses the image (it only reads).
  revert   puts the image back to the snapshot (by name, or by id), discarding everything
           written to it since. Refuses while a running domain has the image open, or an
           image whose backing chain holds it (shut the domain down first), and without
           --yes. QEMU cannot revert an image that has persistent dirty bitmaps (libvirt
           checkpoints): delete those first.
`,
};

export function helpText(command?: string): string {
  return command !== undefined && command in HELP ? HELP[command as CommandName] : OVERVIEW;
}
