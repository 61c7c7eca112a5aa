// qemu-img failures as typed errors, chosen by matching qemu-img's stderr (QEMU 7.2 wording).
import type { VirtsnapErrorCode } from "../../errors.js";
import { CommandError, type CommandFailure } from "../../host/errors.js";

/** What the classifier read from stderr, kept on every qemu-img error. */
export interface QemuImgFacts {
  /** qemu's own words: the stderr line that decided the class, without the `qemu-img: ` prefix. */
  readonly reason: string;
  /** The file the failure is about (as qemu named it, or the image argument). */
  readonly path: string;
}

/** A qemu-img failure we recognised; subclasses say which. */
export class QemuImgError extends CommandError {
  override readonly code: VirtsnapErrorCode = "qemu-img-failed";
  readonly reason: string;
  readonly path: string;

  constructor(message: string, failure: CommandFailure, facts: QemuImgFacts) {
    super(message, failure);
    this.reason = facts.reason;
    this.path = facts.path;
  }
}

/** Another process holds the image's lock: usually the QEMU of a running domain. */
export class ImageLockedError extends QemuImgError {
  override readonly code = "image-locked";
}
/** The image (or, for the subclass, a file in its backing chain) does not exist. */
export class ImageNotFoundError extends QemuImgError {
  override readonly code: VirtsnapErrorCode = "image-not-found";
}
/** A backing file the image names does not exist; `path` is that backing file. */
export class BackingFileNotFoundError extends ImageNotFoundError {
  override readonly code = "backing-file-not-found";
  /** The image whose header names the missing file. */
  readonly image: string;
  constructor(message: string, failure: CommandFailure, facts: QemuImgFacts & { image: string }) {
    super(message, failure, facts);
    this.image = facts.image;
  }
}
/** The image's format cannot do this (internal snapshots or checks on a raw image, ...). */
export class UnsupportedFormatError extends QemuImgError {
  override readonly code: VirtsnapErrorCode = "format-unsupported";
}
/** `-f qcow2` was given for an image that is not qcow2. */
export class NotQcow2Error extends UnsupportedFormatError {
  override readonly code = "not-qcow2";
}
/** The filesystem qemu-img writes to is full. */
export class NoSpaceError extends QemuImgError {
  override readonly code = "no-space";
}
/** QEMU found the image's metadata inconsistent (or had marked it corrupt before). */
export class CorruptImageError extends QemuImgError {
  override readonly code = "image-corrupt";
}

/**
 * Errors about one internal snapshot of an image. When a lookup before any write raised it (the
 * name exists before create, or is missing before apply), `argv`, `exitCode` (0) and `stdout` are
 * those of the `qemu-img info` run that answered.
 */
export class ImageSnapshotError extends QemuImgError {
  readonly snapshot: string;
  constructor(message: string, failure: CommandFailure, facts: QemuImgFacts & { snapshot: string }) {
    super(message, failure, facts);
    this.snapshot = facts.snapshot;
  }
}
/** The image has no internal snapshot of that name. */
export class ImageSnapshotNotFoundError extends ImageSnapshotError {
  override readonly code = "image-snapshot-not-found";
}
/** The image already has an internal snapshot of that name (qemu-img itself would add a second). */
export class ImageSnapshotExistsError extends ImageSnapshotError {
  override readonly code = "image-snapshot-exists";
}
/**
 * QEMU 7.2 will not revert an image that has persistent dirty bitmaps, enabled or not
 * ("Device has active dirty bitmaps"): libvirt checkpoints are such bitmaps.
 */
export class ImageHasBitmapsError extends ImageSnapshotError {
  override readonly code = "image-has-bitmaps";
}

interface Classifier {
  readonly pattern: RegExp;
  readonly build: (failure: CommandFailure, match: RegExpExecArray, reason: string, image: string) => Error;
}

/**
 * A path inside qemu's quotes. qemu nests messages ("Could not open 'a': Could not open 'a': No such
 * file ..."), so a path is the text up to the next `': `, not up to the last quote on the line.
 */
const QUOTED = "((?:(?!': ).)*)";

/** Ordered: the first pattern that matches stderr decides the class. */
const CLASSIFIERS: readonly Classifier[] = [
  {
    pattern: /Failed to get (?:shared )?"[a-z ]+" lock/,
    build: (failure, _match, reason, image) => {
      const path = /Is another process using the image \[(.*)\]\?/.exec(failure.stderr)?.[1] ?? image;
      return new ImageLockedError(
        `${path} on ${failure.host} is locked by another process (${reason}): a running domain probably ` +
          "has it open. Read it with qemu-img -U (shareLocked), or change it through libvirt " +
          "(DomainSnapshot, BackupChain) while the domain runs.",
        failure,
        { reason, path },
      );
    },
  },
  {
    pattern: new RegExp(
      `Could not open '${QUOTED}': Could not open backing file: Could not open '${QUOTED}': No such file or directory`,
    ),
    build: (failure, match, reason, image) => {
      const owner = match[1] ?? image;
      const path = match[2] ?? image;
      return new BackingFileNotFoundError(
        `the backing file ${path} of ${owner} does not exist on ${failure.host}: put it back, or point ` +
          `${owner} at the right file with \`qemu-img rebase -u -b FILE -F FORMAT ${owner}\``,
        failure,
        { reason, path, image: owner },
      );
    },
  },
  {
    pattern:
      /Could not (?:delete|apply) snapshot '(.*)': (?:snapshot not found|Failed to load snapshot: No such file or directory)/,
    build: (failure, match, reason, image) => {
      const snapshot = match[1] ?? "";
      return new ImageSnapshotNotFoundError(
        `${image} on ${failure.host} has no internal snapshot named '${snapshot}' ` +
          `(\`qemu-img snapshot -l ${image}\` lists them)`,
        failure,
        { reason, path: image, snapshot },
      );
    },
  },
  {
    pattern: /Could not apply snapshot '(.*)': Device has active dirty bitmaps/,
    build: (failure, match, reason, image) => {
      const snapshot = match[1] ?? "";
      return new ImageHasBitmapsError(
        `cannot revert ${image} on ${failure.host} to snapshot '${snapshot}': the image has persistent ` +
          "dirty bitmaps (libvirt checkpoints, or `qemu-img bitmap`), and QEMU 7.2 refuses to revert an image " +
          "that has any. Delete the checkpoints (`virsh checkpoint-delete`) or the bitmaps " +
          "(`qemu-img bitmap --remove`) first; incremental backups then need a new full backup.",
        failure,
        { reason, path: image, snapshot },
      );
    },
  },
  {
    pattern: new RegExp(`Could not open '${QUOTED}': No such file or directory`),
    build: (failure, match, reason, image) => {
      const path = match[1] ?? image;
      return new ImageNotFoundError(`${path} does not exist on ${failure.host} (${reason})`, failure, {
        reason,
        path,
      });
    },
  },
  {
    pattern: /Image is corrupt|Marking image as corrupt/,
    build: (failure, _match, reason, image) =>
      new CorruptImageError(
        `${image} on ${failure.host} is corrupt (${reason}). See \`qemu-img check ${image}\`; ` +
          "repair a copy with `qemu-img check -r all`, or restore the image from a backup.",
        failure,
        { reason, path: image },
      ),
  },
  {
    pattern: /Image is not in qcow2 format/,
    build: (failure, _match, reason, image) =>
      new NotQcow2Error(
        `${image} on ${failure.host} is not a qcow2 image (${reason}); \`qemu-img info ${image}\` shows its format`,
        failure,
        { reason, path: image },
      ),
  },
  {
    pattern:
      /\(Operation not supported\)|does not support snapshots|does not support checks|does not support internal snapshots/,
    build: (failure, _match, reason, image) =>
      new UnsupportedFormatError(
        `qemu-img cannot do this with the format of ${image} on ${failure.host} (${reason}): ` +
          "internal snapshots and checks need a qcow2 image",
        failure,
        { reason, path: image },
      ),
  },
  {
    pattern: /No space left on device/,
    build: (failure, _match, reason, image) =>
      new NoSpaceError(
        `qemu-img ran out of disk space on ${failure.host} writing ${image} (${reason}): free space on ` +
          "that filesystem or write elsewhere; a partly written file may be left behind",
        failure,
        { reason, path: image },
      ),
  },
];

/** The stderr line holding `match`, without qemu-img's prefix: qemu's reason for the failure. */
function reasonLine(stderr: string, index: number): string {
  const start = stderr.lastIndexOf("\n", index) + 1;
  const end = stderr.indexOf("\n", index);
  return stderr
    .slice(start, end < 0 ? undefined : end)
    .trim()
    .replace(/^qemu-img: /, "");
}

/**
 * Turns a failed qemu-img run into the most specific error class, keeping the run's fields.
 * Anything that is not a plain CommandError (a bug, a timeout) is returned unchanged.
 */
export function classifyQemuImgError(error: unknown): unknown {
  if (!(error instanceof CommandError) || !error.unclassified) return error;
  for (const { pattern, build } of CLASSIFIERS) {
    const match = pattern.exec(error.stderr);
    if (match === null) continue;
    const failure = error.failureCausedBy();
    // Every qemu-img command we build ends with the image (for convert and compare, the second one).
    const image = error.argv.at(-1) ?? "the image";
    return build(failure, match, reasonLine(error.stderr, match.index), image);
  }
  return error;
}
