// Pure builders of qemu-img argv arrays: what to run, never how (the CommandRunner runs them).

/** A backing file as a qcow2 header records it: a name (absolute, or relative to the image's directory) and a format. */
export interface BackingFile {
  readonly file: string;
  readonly format: string;
}

/**
 * A file name qemu-img will take as a plain file. qemu reads `name:` before the first `/` as a
 * protocol (`nbd:`, `json:`...) and a leading `-` as an option, so `backup-10:00.qcow2` fails with
 * "Unknown protocol 'backup-10'". `./` in front makes either a path (absolute paths are unchanged).
 * Applied to backing names too: the header then records `./name`, which resolves the same way.
 */
export function fileArg(path: string): string {
  const colon = path.indexOf(":");
  const slash = path.indexOf("/");
  const looksLikeProtocol = colon >= 0 && (slash < 0 || colon < slash);
  return looksLikeProtocol || path.startsWith("-") ? `./${path}` : path;
}

function formatArgs(flag: "-f" | "-F" | "-O", format: string | undefined): string[] {
  return format === undefined ? [] : [flag, format];
}

/** `-U` (`--force-share`): read an image another process (a running QEMU) holds locked. */
function shareArgs(shareLocked: boolean | undefined): string[] {
  return shareLocked ? ["-U"] : [];
}

export interface InfoArgvOptions {
  /** Read without taking QEMU's lock (`-U`): needed for the disk of a running domain. */
  readonly shareLocked?: boolean;
  /** Print every image of the backing chain: the output is then a JSON array. */
  readonly backingChain?: boolean;
  /** The image's format; probed when absent. */
  readonly format?: string;
}

export function infoArgv(path: string, options: InfoArgvOptions = {}): string[] {
  return [
    "qemu-img",
    "info",
    "--output=json",
    ...shareArgs(options.shareLocked),
    ...(options.backingChain ? ["--backing-chain"] : []),
    ...formatArgs("-f", options.format),
    fileArg(path),
  ];
}

export interface CheckArgvOptions {
  readonly shareLocked?: boolean;
  readonly format?: string;
}

/** A read-only consistency check (never `-r`: repairs are for a person to decide on). */
export function checkArgv(path: string, options: CheckArgvOptions = {}): string[] {
  return [
    "qemu-img",
    "check",
    "--output=json",
    ...shareArgs(options.shareLocked),
    ...formatArgs("-f", options.format),
    fileArg(path),
  ];
}

/**
 * Removes a persistent dirty bitmap from a qcow2 image that no process has open (a libvirt
 * checkpoint's bitmap left behind when its domain stopped before the checkpoint could be deleted).
 */
export function bitmapRemoveArgv(image: string, bitmap: string): string[] {
  return ["qemu-img", "bitmap", "--remove", "-f", "qcow2", fileArg(image), bitmap];
}

/**
 * Unsafe rebase: rewrites only the backing file name and format in `image`'s header, reading no
 * data. Right when the new backing file has the same content the old one had (or, for a
 * push-mode incremental backup, when it is the previous backup of the chain).
 */
export function rebaseUnsafeArgv(image: string, backing: BackingFile): string[] {
  return [
    "qemu-img",
    "rebase",
    "-u",
    // Only qcow2 images of ours have backing files; naming the format avoids probing.
    "-f",
    "qcow2",
    "-F",
    backing.format,
    "-b",
    fileArg(backing.file),
    fileArg(image),
  ];
}

export interface ConvertArgvOptions {
  /** Print progress on stdout as `    (12.34/100%)` followed by a carriage return. */
  readonly progress?: boolean;
  readonly sourceFormat?: string;
  /** Read a source another process holds locked (`-U`). */
  readonly shareLocked?: boolean;
}

/** Copies `source` (with everything below it in its backing chain) into a standalone qcow2 `target`. */
export function convertArgv(source: string, target: string, options: ConvertArgvOptions = {}): string[] {
  return [
    "qemu-img",
    "convert",
    ...(options.progress ? ["-p"] : []),
    ...shareArgs(options.shareLocked),
    "-O",
    "qcow2",
    ...formatArgs("-f", options.sourceFormat),
    fileArg(source),
    fileArg(target),
  ];
}

export interface CompareArgvOptions {
  readonly shareLocked?: boolean;
  readonly firstFormat?: string;
  readonly secondFormat?: string;
  /** Images of different sizes differ (`-s`); otherwise the extra part must read as zeros. */
  readonly strict?: boolean;
}

/** Compares guest-visible content; the exit code says identical (0), different (1) or error (2). */
export function compareArgv(first: string, second: string, options: CompareArgvOptions = {}): string[] {
  return [
    "qemu-img",
    "compare",
    ...shareArgs(options.shareLocked),
    ...(options.strict ? ["-s"] : []),
    ...formatArgs("-f", options.firstFormat),
    ...formatArgs("-F", options.secondFormat),
    fileArg(first),
    fileArg(second),
  ];
}

/** What a new qcow2 image gets: a size, a backing file, or a backing file and a different size. */
export type CreateArgvOptions =
  | { readonly sizeBytes: number; readonly backing?: undefined }
  | { readonly backing: BackingFile; readonly sizeBytes?: number };

/** Creates a qcow2 image; `-q` drops the "Formatting ..." line. Overwrites an existing file. */
export function createArgv(path: string, options: CreateArgvOptions): string[] {
  const backing = options.backing;
  return [
    "qemu-img",
    "create",
    "-q",
    "-f",
    "qcow2",
    ...(backing === undefined ? [] : ["-F", backing.format, "-b", fileArg(backing.file)]),
    fileArg(path),
    ...(options.sizeBytes === undefined ? [] : [String(options.sizeBytes)]),
  ];
}

/**
 * An internal snapshot operation. `qemu-img snapshot` has no `-f` in QEMU 7.2 (the format is
 * probed) and no JSON output; `-U` is only allowed for `list` (writes need the lock).
 */
export type SnapshotAction =
  | { readonly action: "list"; readonly shareLocked?: boolean }
  | { readonly action: "create" | "delete" | "apply"; readonly snapshot: string };

const SNAPSHOT_FLAGS = { create: "-c", delete: "-d", apply: "-a" } as const;

export function snapshotArgv(path: string, operation: SnapshotAction): string[] {
  const args =
    operation.action === "list"
      ? ["-l", ...shareArgs(operation.shareLocked)]
      : [SNAPSHOT_FLAGS[operation.action], operation.snapshot];
  return ["qemu-img", "snapshot", ...args, fileArg(path)];
}
