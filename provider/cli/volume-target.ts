// The `<path|pool/volume>` argument of `virtsnap volume`.
import { isAbsolute, resolve } from "node:path";
import { type VolumeRef, volumeRefSchema } from "../volumes/volume-ref.js";
import { UsageError } from "./io.js";

/**
 * An absolute path (`/var/lib/libvirt/images/x.qcow2`), a path relative to the current directory
 * written as `./x.qcow2` or `../x.qcow2`, or a storage pool and volume as `POOL/VOLUME`.
 */
export function parseVolumeTarget(text: string, command: string): VolumeRef {
  const relative = text.startsWith("./") || text.startsWith("../");
  const parts = text.split("/");
  let candidate: unknown;
  if (isAbsolute(text) || relative) candidate = { path: resolve(text) };
  else if (parts.length === 2) candidate = { pool: parts[0], name: parts[1] };
  else {
    throw new UsageError(
      `${JSON.stringify(text)}: give an image path (/var/lib/libvirt/images/x.qcow2, or ./x.qcow2) ` +
        "or a storage pool volume as POOL/VOLUME",
      command,
    );
  }
  const result = volumeRefSchema.safeParse(candidate);
  if (!result.success) {
    const detail = result.error.issues.map((issue) => {
      const property = issue.path.join(".");
      return property === "" ? issue.message : `${property} ${issue.message}`;
    });
    throw new UsageError(`${JSON.stringify(text)}: ${detail.join("; ")}`, command);
  }
  return result.data;
}
