// BackupChain: full and incremental push backups of a running libvirt domain, with retention.
import * as pulumi from "@pulumi/pulumi";
import { backupChainProvider } from "../provider/resources/backup-chain/provider.js";
import type {
  BackupChainOutputs,
  ChainOutput,
  BackupChainArgs as SchemaArgs,
} from "../provider/resources/backup-chain/schema.js";
import { type Inputs, resolveUri } from "./inputs.js";

/** Arguments of {@link BackupChain}; `uri` has a default. */
export interface BackupChainArgs
  extends Inputs<Omit<SchemaArgs, "uri">>,
    Partial<Inputs<Pick<SchemaArgs, "uri">>> {}

const OUTPUT_NAMES = [
  "uri",
  "domain",
  "directory",
  "disks",
  "trigger",
  "fullEvery",
  "keepChains",
  "verify",
  "deleteBackupsOnDestroy",
  "timeoutMinutes",
  "adopt",
  "providerVersion",
  "domainName",
  "domainUuid",
  "chains",
  "unreadableChains",
  "manifestPaths",
  "lastBackupAt",
  "lastBackupLevel",
  "lastBackupReason",
] as const satisfies readonly (keyof BackupChainOutputs)[];

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
  declare readonly uri: pulumi.Output<string>;
  declare readonly domain: pulumi.Output<string>;
  declare readonly directory: pulumi.Output<string>;
  declare readonly trigger: pulumi.Output<string | undefined>;
  declare readonly fullEvery: pulumi.Output<number>;
  declare readonly keepChains: pulumi.Output<number>;
  /** Version of virtsnap that last wrote this resource's state. */
  declare readonly providerVersion: pulumi.Output<string>;
  declare readonly domainName: pulumi.Output<string>;
  declare readonly domainUuid: pulumi.Output<string>;
  /** The chains on disk, oldest first, each with its backups (level, checkpoint, times, files). */
  declare readonly chains: pulumi.Output<ChainOutput[]>;
  /** Chains whose manifest cannot be read: left untouched, never removed by retention. */
  declare readonly unreadableChains: pulumi.Output<{ chainId: string; error: string }[]>;
  /** Each chain's manifest.json. */
  declare readonly manifestPaths: pulumi.Output<string[]>;
  /** When the last backup completed (ISO 8601). */
  declare readonly lastBackupAt: pulumi.Output<string | undefined>;
  declare readonly lastBackupLevel: pulumi.Output<"full" | "incremental" | undefined>;
  /** Why the last backup had its level, e.g. that a checkpoint was missing and a new chain started. */
  declare readonly lastBackupReason: pulumi.Output<string | undefined>;

  constructor(name: string, args: BackupChainArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = Object.fromEntries(OUTPUT_NAMES.map((key) => [key, undefined]));
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
