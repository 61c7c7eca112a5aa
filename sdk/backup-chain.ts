// BackupChain: full and incremental push backups of a running libvirt domain, with retention.
import * as pulumi from "@pulumi/pulumi";
import { backupChainProvider } from "../provider/resources/backup-chain/provider.js";
import type {
  BackupChainOutputs,
  ChainOutput,
  BackupChainArgs as SchemaArgs,
  UnreadableChainOutput,
} from "../provider/resources/backup-chain/schema.js";
import { type Inputs, resolveUri } from "./inputs.js";

/** Arguments of {@link BackupChain}; `uri` has a default. */
export interface BackupChainArgs
  extends Inputs<Omit<SchemaArgs, "uri">>,
    Partial<Inputs<Pick<SchemaArgs, "uri">>> {}

/** Every input and output, so that each reaches the program (a missing or extra key is a type error). */
const OUTPUT_NAMES: Record<keyof BackupChainOutputs, true> = {
  uri: true,
  domain: true,
  directory: true,
  disks: true,
  trigger: true,
  fullEvery: true,
  keepChains: true,
  verify: true,
  deleteBackupsOnDestroy: true,
  timeoutMinutes: true,
  adopt: true,
  providerVersion: true,
  domainName: true,
  domainUuid: true,
  chains: true,
  unreadableChains: true,
  manifestPaths: true,
  lastBackupAt: true,
  lastBackupLevel: true,
  lastBackupReason: true,
};

/**
 * Backups of a running domain's disks into a directory on its host: a full backup starts a
 * chain, then each new `trigger` adds an incremental holding only the blocks changed since the
 * last backup (libvirt checkpoints track them). Every backup file is a qcow2 image whose backing
 * file is the previous backup's, so any point restores with `virtsnap restore` or plain
 * `qemu-img convert`. After `fullEvery` backups a new chain starts; chains beyond `keepChains`
 * are removed, oldest first. `<directory>/<chainId>/manifest.json` records each chain.
 *
 * A failed backup deletes the checkpoint made for it and its partial files, leaves the
 * manifests as they were, and fails `pulumi up`; the next `up` tries again. `pulumi destroy`
 * removes this resource's checkpoints from the domain and keeps the backup files unless
 * `deleteBackupsOnDestroy` is set.
 *
 * @example
 * ```ts
 * import { BackupChain } from "virtsnap";
 *
 * // One backup per day (the trigger changes daily), a full one each week, two weeks kept.
 * const nightly = new BackupChain("web1-nightly", {
 *   domain: "web1",
 *   directory: "/var/backups/vms/web1",
 *   trigger: new Date().toISOString().slice(0, 10),
 *   fullEvery: 7,
 *   keepChains: 2,
 * });
 * export const lastBackup = nightly.lastBackupAt;
 * ```
 */
export class BackupChain extends pulumi.dynamic.Resource {
  /** The libvirt URI the backups are taken through. */
  declare readonly uri: pulumi.Output<string>;
  /** The domain as given (name or UUID). */
  declare readonly domain: pulumi.Output<string>;
  /** The directory on the domain's host that holds one subdirectory per chain. */
  declare readonly directory: pulumi.Output<string>;
  /** The disk targets asked for; undefined: every writable qcow2 disk. */
  declare readonly disks: pulumi.Output<string[] | undefined>;
  /** The trigger of the last `up`; a new value takes the next backup. */
  declare readonly trigger: pulumi.Output<string | undefined>;
  /** Backups per chain: one full, then `fullEvery - 1` incrementals. */
  declare readonly fullEvery: pulumi.Output<number>;
  /** Chains kept on disk; older ones are removed, whole. */
  declare readonly keepChains: pulumi.Output<number>;
  /** Whether each new backup is checked before it is recorded. */
  declare readonly verify: pulumi.Output<boolean>;
  /** Whether `pulumi destroy` also removes the chain directories this resource created. */
  declare readonly deleteBackupsOnDestroy: pulumi.Output<boolean>;
  /** The limit for one backup job, in minutes. */
  declare readonly timeoutMinutes: pulumi.Output<number>;
  /** Whether create took over the chains of this domain found in `directory`. */
  declare readonly adopt: pulumi.Output<boolean>;
  /** Version of virtsnap that last wrote this resource's state. */
  declare readonly providerVersion: pulumi.Output<string>;
  /** The domain's name (also when `domain` was given as a UUID). */
  declare readonly domainName: pulumi.Output<string>;
  /** The domain's UUID: the identity its backups are recorded under. */
  declare readonly domainUuid: pulumi.Output<string>;
  /** The chains on disk, oldest first, each with its backups (level, checkpoint, times, files). */
  declare readonly chains: pulumi.Output<ChainOutput[]>;
  /** Chains whose manifest cannot be read (their id and why): left untouched, never removed by retention. */
  declare readonly unreadableChains: pulumi.Output<UnreadableChainOutput[]>;
  /** Each chain's manifest.json. */
  declare readonly manifestPaths: pulumi.Output<string[]>;
  /** When the last backup completed (ISO 8601). */
  declare readonly lastBackupAt: pulumi.Output<string | undefined>;
  /** Whether the last backup was `full` or `incremental`. */
  declare readonly lastBackupLevel: pulumi.Output<"full" | "incremental" | undefined>;
  /** Why the last backup had its level, e.g. that a checkpoint was missing and a new chain started. */
  declare readonly lastBackupReason: pulumi.Output<string | undefined>;

  constructor(name: string, args: BackupChainArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = Object.fromEntries(Object.keys(OUTPUT_NAMES).map((key) => [key, undefined]));
    super(
      backupChainProvider,
      name,
      { ...outputs, ...args, uri: resolveUri(args.uri) },
      opts,
      "virtsnap",
      "BackupChain",
    );
  }
}
