// The manifest: a chain's source of truth on disk (versioned JSON), for read, restore and verify.
import { z } from "zod";
import { messageOf, VirtsnapError } from "../errors.js";
import { isChainId } from "./naming.js";

const isoTime = z.iso.datetime();
const fileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "must be a plain file name inside the chain directory" });

const backupDiskSchema = z.strictObject({
  /** Guest disk target, e.g. vda. */
  target: z.string().min(1),
  /** The backup file, relative to the chain directory. */
  file: fileName,
  /** The file this one's data sits on (the previous backup's file), or null for a full backup. */
  backingFile: fileName.nullable(),
  /** Size of the disk as the guest sees it. */
  virtualSize: z.number().int().nonnegative(),
  /** Bytes the backup file occupies on disk. */
  fileSize: z.number().int().nonnegative(),
});

const backupSchema = z.strictObject({
  sequence: z.number().int().nonnegative(),
  level: z.enum(["full", "incremental"]),
  /** The libvirt checkpoint made with this backup: the next incremental starts from it. */
  checkpoint: z.string().min(1),
  /** The checkpoint an incremental was taken against; null for a full backup. */
  incrementalFrom: z.string().min(1).nullable(),
  startedAt: isoTime,
  completedAt: isoTime,
  /** Why this backup has its level (e.g. why a new chain started). */
  reason: z.string(),
  /** Bytes the backup job copied from the guest's disks (an incremental: the blocks changed since the last). */
  copiedBytes: z.number().int().nonnegative(),
  disks: z.array(backupDiskSchema).min(1),
});

const manifestSchema = z.strictObject({
  format: z.literal("virtsnap-backup-chain"),
  version: z.literal(1),
  chainId: z.string().refine(isChainId, { error: "is not a virtsnap chain id" }),
  domain: z.strictObject({ name: z.string().min(1), uuid: z.string().min(1) }),
  createdAt: isoTime,
  disks: z.array(z.string().min(1)).min(1),
  backups: z.array(backupSchema).min(1),
});

export type Manifest = z.output<typeof manifestSchema>;
export type BackupRecord = Manifest["backups"][number];

/** Why a manifest cannot be used. */
export type ManifestProblem =
  /** There is no manifest file (the chain directory may be gone too). */
  | "missing"
  /** The file exists but could not be read (permissions, an I/O or transport error). */
  | "unreadable"
  /** Not JSON at all. */
  | "not-json"
  /** Written by a newer virtsnap. */
  | "newer-version"
  /** JSON of the wrong shape, or backups that do not form one chain. */
  | "invalid"
  /** A valid manifest of another chain than the directory it sits in. */
  | "misplaced";

/** A manifest that cannot be used: missing, unreadable, not JSON, a newer version, a broken structure. */
export class ManifestError extends VirtsnapError {
  readonly code = "manifest-unusable";
  readonly path: string;
  readonly problem: ManifestProblem;

  constructor(path: string, problem: ManifestProblem, detail: string, cause?: unknown) {
    super(`backup manifest ${path} cannot be used: ${detail}`, { cause });
    this.path = path;
    this.problem = problem;
  }
}

/** Parses and checks a manifest's text, including that its backups form one consistent chain. */
export function parseManifest(text: string, path: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(path, "not-json", `it is not valid JSON (${messageOf(error)})`, error);
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version > 1) {
    throw new ManifestError(
      path,
      "newer-version",
      `it has version ${version}; this virtsnap reads version 1: upgrade virtsnap`,
    );
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const detail = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`);
    throw new ManifestError(path, "invalid", detail.join("; "));
  }
  const problems = chainProblems(result.data);
  if (problems.length > 0) throw new ManifestError(path, "invalid", problems.join("; "));
  return result.data;
}

/** The manifest of a new chain whose first (full) backup is `first`. */
export function newChainManifest(
  chainId: string,
  domain: { readonly name: string; readonly uuid: string },
  disks: readonly string[],
  first: BackupRecord,
): Manifest {
  return {
    format: "virtsnap-backup-chain",
    version: 1,
    chainId,
    domain: { name: domain.name, uuid: domain.uuid },
    createdAt: first.startedAt,
    disks: [...disks],
    backups: [first],
  };
}

/** `chain` with `next` appended, and the domain's current name (it may have been renamed). */
export function withBackup(
  chain: Manifest,
  domain: { readonly name: string; readonly uuid: string },
  next: BackupRecord,
): Manifest {
  return { ...chain, domain: { name: domain.name, uuid: domain.uuid }, backups: [...chain.backups, next] };
}

/** The manifest as written to disk: stable key order, 2-space indent, final newline. */
export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`;
}

/** Structural rules zod cannot express: sequences, levels and backing links line up. */
function chainProblems(manifest: Manifest): string[] {
  const problems: string[] = [];
  manifest.backups.forEach((backup, index) => {
    const where = `backup ${backup.sequence}`;
    if (backup.sequence !== index)
      problems.push(`${where} is at position ${index}: sequences must be 0, 1, 2, ...`);
    if ((index === 0) !== (backup.level === "full")) {
      problems.push(`${where} is ${backup.level}: a chain starts with its only full backup`);
    }
    const previous = manifest.backups[index - 1];
    if (previous !== undefined && backup.incrementalFrom !== previous.checkpoint) {
      problems.push(
        `${where} was taken against ${backup.incrementalFrom}, not the previous checkpoint ${previous.checkpoint}`,
      );
    }
    const targets = backup.disks.map((disk) => disk.target).sort();
    if (JSON.stringify(targets) !== JSON.stringify([...manifest.disks].sort())) {
      problems.push(
        `${where} covers disks ${targets.join(", ")}, the chain has ${manifest.disks.join(", ")}`,
      );
    }
    for (const disk of backup.disks) {
      const expected = previous?.disks.find((candidate) => candidate.target === disk.target)?.file ?? null;
      if (disk.backingFile !== expected) {
        problems.push(
          `${where} ${disk.target} sits on ${disk.backingFile ?? "nothing"}, expected ${expected ?? "nothing"}`,
        );
      }
    }
  });
  return problems;
}
