// qemu-img on one host: build the argv, run it, parse the answer, classify failures.
import {
  type CommandResult,
  type CommandRunner,
  QUERY_TIMEOUT_MS,
  type RunOptions,
} from "../../host/command-runner.js";
import { CommandError, type CommandFailure } from "../../host/errors.js";
import {
  type BackingFile,
  bitmapRemoveArgv,
  checkArgv,
  compareArgv,
  convertArgv,
  createArgv,
  infoArgv,
  rebaseUnsafeArgv,
  snapshotArgv,
} from "./argv.js";
import { ProgressReader } from "./convert-progress.js";
import { classifyQemuImgError, ImageSnapshotExistsError, ImageSnapshotNotFoundError } from "./errors.js";
import { type ImageCheck, parseImageCheck } from "./image-check.js";
import { type ImageComparison, parseImageComparison } from "./image-comparison.js";
import { type ImageInfo, type ImageSnapshot, parseImageInfo, parseImageInfoChain } from "./image-info.js";
import { describeExistingSnapshot, findImageSnapshot } from "./image-snapshots.js";

/** Work that reads or writes a whole image (convert, check, compare): hours for a large disk on slow storage. */
export const LONG_RUN_TIMEOUT_MS = 6 * 60 * 60_000;
/** Internal snapshot create/delete/apply rewrite qcow2 metadata (refcounts, L1): minutes on a large image. */
export const IMAGE_SNAPSHOT_TIMEOUT_MS = 30 * 60_000;

/** Every operation takes a time limit; each has a default that suits it. */
export interface TimeoutOption {
  readonly timeoutMs?: number;
}

export interface ImageInfoOptions extends TimeoutOption {
  /** Read without QEMU's lock (`-U`): required for the disk of a running domain, whose data may be in flight. */
  readonly shareLocked?: boolean;
  /** The image's format; probed when absent. */
  readonly format?: string;
}

export interface ConvertImageOptions extends TimeoutOption {
  readonly sourceFormat?: string;
  /** Read a source another process holds locked (`-U`). */
  readonly shareLocked?: boolean;
  /** Called with each new percentage (0-100) from `qemu-img convert -p`, as the runner streams stdout. */
  readonly onProgress?: (percent: number) => void;
}

export interface CompareImagesOptions extends TimeoutOption {
  readonly shareLocked?: boolean;
  readonly firstFormat?: string;
  readonly secondFormat?: string;
  /** Images of different sizes are different (`-s`). */
  readonly strict?: boolean;
}

/** A new qcow2 image: of a size in bytes, or on a backing file (same size unless given). */
export type CreateImageOptions = TimeoutOption &
  (
    | { readonly sizeBytes: number; readonly backing?: undefined }
    | { readonly backing: BackingFile; readonly sizeBytes?: number }
  );

/** The info run a snapshot lookup answered from, for errors about what it found. */
interface Lookup {
  readonly failure: CommandFailure;
  readonly snapshots: readonly ImageSnapshot[];
}

/**
 * qemu-img on the host a runner reaches (this machine, or over ssh): image info, checks,
 * rebases, copies, comparisons and internal snapshots. Every failure is the most specific error
 * class (ImageLockedError, ImageNotFoundError, ...).
 */
export class QemuImgClient {
  private readonly runner: CommandRunner;

  constructor(runner: CommandRunner) {
    this.runner = runner;
  }

  /** Where qemu-img runs: `localhost` or `user@host`. */
  get host(): string {
    return this.runner.host;
  }

  /** `qemu-img info` of one image. */
  async info(path: string, options: ImageInfoOptions = {}): Promise<ImageInfo> {
    const { stdout } = await this.run(infoArgv(path, options), {
      timeoutMs: options.timeoutMs ?? QUERY_TIMEOUT_MS,
    });
    return parseImageInfo(stdout);
  }

  /** `qemu-img info --backing-chain`: the image first, then each backing file down to the base. */
  async backingChain(path: string, options: ImageInfoOptions = {}): Promise<ImageInfo[]> {
    const argv = infoArgv(path, { ...options, backingChain: true });
    const { stdout } = await this.run(argv, { timeoutMs: options.timeoutMs ?? QUERY_TIMEOUT_MS });
    return parseImageInfoChain(stdout);
  }

  /**
   * A read-only `qemu-img check`. Leaks and corruption are results (`clean: false`), not errors:
   * qemu-img exits 3 and 2 for them with the full report. Exit 1 (check could not complete) and
   * 63 (the format has no checks) are errors.
   */
  async check(path: string, options: ImageInfoOptions = {}): Promise<ImageCheck> {
    try {
      const { stdout } = await this.runner.run(checkArgv(path, options), {
        timeoutMs: options.timeoutMs ?? LONG_RUN_TIMEOUT_MS,
      });
      return parseImageCheck(stdout);
    } catch (error) {
      const found = ranWith(error, [2, 3]);
      if (found !== undefined && found.stdout.trim() !== "") return parseImageCheck(found.stdout);
      throw classifyQemuImgError(error);
    }
  }

  /**
   * Points `image` at a new backing file without reading data (`qemu-img rebase -u`). `backing.file`
   * may be relative: qemu resolves it against `image`'s directory. The backing file need not exist.
   */
  async rebaseUnsafe(image: string, backing: BackingFile, options: TimeoutOption = {}): Promise<void> {
    await this.run(rebaseUnsafeArgv(image, backing), { timeoutMs: options.timeoutMs ?? QUERY_TIMEOUT_MS });
  }

  /** Removes a persistent bitmap from an image not in use (its QEMU must be stopped). */
  async removeBitmap(image: string, bitmap: string, options: TimeoutOption = {}): Promise<void> {
    await this.run(bitmapRemoveArgv(image, bitmap), { timeoutMs: options.timeoutMs ?? QUERY_TIMEOUT_MS });
  }

  /**
   * Copies `source`, flattening its backing chain, into a standalone qcow2 image at `target`
   * (overwritten if it exists). Snapshots and bitmaps are not copied.
   */
  async convert(source: string, target: string, options: ConvertImageOptions = {}): Promise<void> {
    const reader = options.onProgress === undefined ? undefined : new ProgressReader(options.onProgress);
    const argv = convertArgv(source, target, {
      progress: reader !== undefined,
      sourceFormat: options.sourceFormat,
      shareLocked: options.shareLocked,
    });
    const { stdout } = await this.run(argv, {
      timeoutMs: options.timeoutMs ?? LONG_RUN_TIMEOUT_MS,
      ...(reader === undefined ? {} : { onStdout: (chunk: string) => reader.push(chunk) }),
    });
    // The runner streamed the steps already; the reader reports only increases, so this only
    // catches a final step a runner delivered with the exit.
    reader?.push(stdout);
  }

  /** Compares what the guest would read from two images (backing chains included). */
  async compare(first: string, second: string, options: CompareImagesOptions = {}): Promise<ImageComparison> {
    try {
      const { stdout } = await this.runner.run(compareArgv(first, second, options), {
        timeoutMs: options.timeoutMs ?? LONG_RUN_TIMEOUT_MS,
      });
      return parseImageComparison(0, stdout);
    } catch (error) {
      // Exit 1 means "different"; 2 is a real failure (missing file, lock, I/O error).
      const different = ranWith(error, [1]);
      if (different !== undefined) return parseImageComparison(1, different.stdout);
      throw classifyQemuImgError(error);
    }
  }

  /** Creates a qcow2 image at `path`, replacing any file there. */
  async create(path: string, options: CreateImageOptions): Promise<void> {
    await this.run(createArgv(path, options), { timeoutMs: options.timeoutMs ?? QUERY_TIMEOUT_MS });
  }

  /** The image's internal snapshots, oldest first, read from `qemu-img info` (which, unlike `snapshot -l`, has JSON). */
  async snapshots(
    path: string,
    options: Pick<ImageInfoOptions, "shareLocked" | "timeoutMs"> = {},
  ): Promise<ImageSnapshot[]> {
    return [...(await this.info(path, options)).snapshots];
  }

  /**
   * Takes an internal snapshot of an image no process has open, and returns it as `qemu-img info`
   * reports it. qemu-img would accept a second snapshot of an existing name; this refuses with
   * ImageSnapshotExistsError, because a duplicate name makes delete and apply ambiguous.
   */
  async createSnapshot(path: string, name: string, options: TimeoutOption = {}): Promise<ImageSnapshot> {
    const before = await this.lookUpSnapshots(path);
    const existing = before.snapshots.find((snapshot) => snapshot.name === name);
    if (existing !== undefined) {
      throw new ImageSnapshotExistsError(
        describeExistingSnapshot(path, this.host, existing),
        before.failure,
        {
          reason: `snapshot '${name}' exists`,
          path,
          snapshot: name,
        },
      );
    }
    await this.run(snapshotArgv(path, { action: "create", snapshot: name }), {
      timeoutMs: options.timeoutMs ?? IMAGE_SNAPSHOT_TIMEOUT_MS,
    });
    const after = await this.lookUpSnapshots(path);
    const created = after.snapshots.find(
      (snapshot) => snapshot.name === name && !before.snapshots.some((old) => old.id === snapshot.id),
    );
    if (created === undefined) {
      throw new ImageSnapshotNotFoundError(
        `qemu-img reported snapshot '${name}' of ${path} on ${this.host} as created, but the image does not list it`,
        after.failure,
        { reason: `snapshot '${name}' missing after create`, path, snapshot: name },
      );
    }
    return created;
  }

  /** Deletes an internal snapshot by name; ImageSnapshotNotFoundError when there is none. */
  async deleteSnapshot(path: string, name: string, options: TimeoutOption = {}): Promise<void> {
    // `snapshot -d` looks the snapshot up by name only (QEMU 7.2), so the name is passed as is.
    await this.run(snapshotArgv(path, { action: "delete", snapshot: name }), {
      timeoutMs: options.timeoutMs ?? IMAGE_SNAPSHOT_TIMEOUT_MS,
    });
  }

  /**
   * Reverts an image no process has open to the internal snapshot `name` names (findImageSnapshot).
   * ImageSnapshotNotFoundError when there is none; ImageHasBitmapsError when the image has
   * persistent dirty bitmaps (QEMU 7.2 refuses to revert those).
   */
  async applySnapshot(path: string, name: string, options: TimeoutOption = {}): Promise<void> {
    const lookup = await this.lookUpSnapshots(path);
    const target = findImageSnapshot(lookup.snapshots, name, { path, host: this.host });
    if (target === undefined) {
      throw new ImageSnapshotNotFoundError(
        `${path} on ${this.host} has no internal snapshot named '${name}' (\`qemu-img snapshot -l ${path}\` lists them)`,
        lookup.failure,
        { reason: `no snapshot named '${name}'`, path, snapshot: name },
      );
    }
    // `snapshot -a X` takes X as an id first, then as a name (QEMU 7.2, find_snapshot_by_id_or_name):
    // `-a 1` reverts to id 1 even when a snapshot is named "1". When the name is some snapshot's
    // id, apply by the named snapshot's own id instead.
    const ambiguous = lookup.snapshots.some((snapshot) => snapshot.id === name);
    await this.run(snapshotArgv(path, { action: "apply", snapshot: ambiguous ? target.id : name }), {
      timeoutMs: options.timeoutMs ?? IMAGE_SNAPSHOT_TIMEOUT_MS,
    });
  }

  private async lookUpSnapshots(path: string): Promise<Lookup> {
    // Without -U: a write follows, and it needs the lock anyway; a running domain fails here.
    const argv = infoArgv(path);
    const result = await this.run(argv, { timeoutMs: QUERY_TIMEOUT_MS });
    return {
      failure: {
        argv,
        exitCode: result.exitCode,
        stdout: result.stdout,
        stderr: result.stderr,
        host: this.host,
      },
      snapshots: parseImageInfo(result.stdout).snapshots,
    };
  }

  private async run(argv: readonly string[], options: RunOptions): Promise<CommandResult> {
    try {
      return await this.runner.run(argv, options);
    } catch (error) {
      throw classifyQemuImgError(error);
    }
  }
}

/** A run that exited with one of `codes`, for commands whose exit code is a result (check, compare). */
function ranWith(error: unknown, codes: readonly number[]): CommandError | undefined {
  return error instanceof CommandError &&
    error.unclassified &&
    error.exitCode !== undefined &&
    codes.includes(error.exitCode)
    ? error
    : undefined;
}
