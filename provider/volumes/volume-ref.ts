// Which image a VolumeSnapshot or `virtsnap volume` is about: a file path, or a volume of a libvirt storage pool.
import { z } from "zod";
import { absolutePath, objectName } from "../inputs/validators.js";

/**
 * `rule`'s verdict on a string as non-fatal issues. zod 4 reports the inner issues of a failed
 * union only when exactly one variant failed without a fatal issue: with the relayed rules, the
 * variant whose keys were given is that one, so `{ path: "x.qcow2" }` fails as `path: must be an
 * absolute path` instead of "matches no variant".
 */
function relay(rule: z.ZodType<string>, what: string) {
  return z.string({ error: `must be a string: ${what}` }).superRefine((value, context) => {
    for (const issue of rule.safeParse(value).error?.issues ?? []) {
      context.addIssue({ code: "custom", message: issue.message });
    }
  });
}

/** `{ path }` or `{ pool, name }`; each variant takes exactly its own keys. */
export const volumeRefSchema = z.union(
  [
    z.strictObject({
      /** Absolute, normalized path of the qcow2 image on the host. */
      path: relay(absolutePath, "an absolute path on the host"),
    }),
    z.strictObject({
      /** A libvirt storage pool (`virsh pool-list --all`); the volume's file is found with `virsh vol-path`. */
      pool: relay(objectName("storage pool name"), "the storage pool name"),
      /** The volume's name in that pool (`virsh vol-list POOL`). */
      name: relay(objectName("volume name"), "the volume name"),
    }),
  ],
  { error: "must be { path: '/absolute/path/image.qcow2' } or { pool: 'POOL', name: 'VOLUME' }" },
);

export type VolumeRef = z.output<typeof volumeRefSchema>;

/** The volume as the user named it, for messages: the path, or `pool/name`. */
export function volumeLabel(ref: VolumeRef): string {
  return "path" in ref ? ref.path : `${ref.pool}/${ref.name}`;
}
