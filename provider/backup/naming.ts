// Names virtsnap gives chains, checkpoints and backup files: sortable, and unmistakably ours.

/**
 * Every checkpoint we create starts with this. We never touch a checkpoint without it, so
 * checkpoints made by other tools (virtnbdbackup, scripts) are safe from our cleanup.
 */
const CHECKPOINT_PREFIX = "virtsnap.";

const CHAIN_ID = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

/** A chain id: its start time in UTC (so ids sort by age) and a random suffix. */
export function newChainId(now: Date, random: string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  return `${stamp}-${random}`;
}

export function isChainId(value: string): boolean {
  return CHAIN_ID.test(value);
}

/** The checkpoint made with backup `sequence` of a chain: `virtsnap.<chainId>.<sequence>`. */
export function checkpointName(chainId: string, sequence: number): string {
  return `${CHECKPOINT_PREFIX}${chainId}.${String(sequence).padStart(4, "0")}`;
}

/** The chain a checkpoint of ours belongs to, or undefined for anyone else's checkpoint. */
export function chainOfCheckpoint(checkpoint: string): string | undefined {
  if (!checkpoint.startsWith(CHECKPOINT_PREFIX)) return undefined;
  const [chainId, sequence] = checkpoint.slice(CHECKPOINT_PREFIX.length).split(".");
  return chainId !== undefined && isChainId(chainId) && sequence !== undefined && /^\d{4}$/.test(sequence)
    ? chainId
    : undefined;
}

/**
 * A backup file's name inside its chain directory: `0003-inc-vda.qcow2`. No colons (qemu-img
 * would read `name:` as a protocol) and no path: backing links between files are relative, so
 * a chain directory can be moved or copied elsewhere and still restores.
 */
export function backupFileName(sequence: number, level: "full" | "incremental", disk: string): string {
  return `${String(sequence).padStart(4, "0")}-${level === "full" ? "full" : "inc"}-${disk}.qcow2`;
}

export const MANIFEST_FILE = "manifest.json";
