// Which internal snapshot of a qcow2 image a name means: the one rule every layer uses.
import { VirtsnapError } from "../../errors.js";
import type { ImageSnapshot } from "./image-info.js";

/**
 * qcow2 lets several internal snapshots share a name (qemu-img itself adds a second); virtsnap
 * never makes one, and a name that several carry (made by hand) names none of them for sure.
 */
export class ImageSnapshotAmbiguousError extends VirtsnapError {
  readonly code = "image-snapshot-ambiguous";
  readonly path: string;
  readonly host: string;
  readonly snapshot: string;
  /** The ids of the snapshots that carry the name. */
  readonly ids: readonly string[];

  constructor(path: string, host: string, snapshot: string, ids: readonly string[]) {
    super(
      `${path} on ${host} has ${ids.length} internal snapshots named '${snapshot}' (ids ${ids.join(", ")}): ` +
        "the name does not say which one. Delete or rename the extra ones by hand (`qemu-img snapshot -l` " +
        `lists them; \`qemu-img snapshot -a ID ${path}\` reverts to one by id) after checking that no domain uses the image`,
    );
    this.path = path;
    this.host = host;
    this.snapshot = snapshot;
    this.ids = ids;
  }
}

/**
 * The snapshot `name` names in an image's list: with `id` (the one a resource recorded when it
 * took it), that snapshot while it still has the name; otherwise the only one of that name.
 * Undefined when there is none; ImageSnapshotAmbiguousError when several share the name.
 */
export function findImageSnapshot(
  snapshots: readonly ImageSnapshot[],
  name: string,
  where: { path: string; host: string; id?: string },
): ImageSnapshot | undefined {
  const named = snapshots.filter((snapshot) => snapshot.name === name);
  const recorded = named.find((snapshot) => snapshot.id === where.id);
  if (recorded !== undefined) return recorded;
  if (named.length > 1) {
    throw new ImageSnapshotAmbiguousError(
      where.path,
      where.host,
      name,
      named.map((snapshot) => snapshot.id),
    );
  }
  return named[0];
}

/** `<path> on <host> already has an internal snapshot named "x" (id 2, taken <time>)`. */
export function describeExistingSnapshot(path: string, host: string, snapshot: ImageSnapshot): string {
  return (
    `${path} on ${host} already has an internal snapshot named "${snapshot.name}" ` +
    `(id ${snapshot.id}, taken ${snapshot.createdAt})`
  );
}
