// zod schemas for values every resource takes: names, paths, libvirt URIs. Each says what is allowed.
import { posix } from "node:path";
import { z } from "zod";
import { shellProblem } from "../host/host.js";
import { LibvirtUriError, parseLibvirtUri } from "../host/libvirt-uri.js";

// Names cross into XML, argv and (for remote hosts) a remote shell: allow only what real names
// use, so no value can be read as an option (`--help`), a path (`../x`) or shell syntax (`$(x)`).
const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.+:-]*$/;
const NAME_RULE =
  "letters, digits and _ . + : - only, starting with a letter, digit or _, at most 128 characters";

/** A libvirt object name (domain, snapshot, checkpoint, pool, volume). */
export const objectName = (what: string) =>
  z
    .string({ error: `must be a string: the ${what}` })
    .min(1, { error: `must not be empty: give the ${what}`, abort: true })
    .max(128, { error: `is too long: ${NAME_RULE}`, abort: true })
    .regex(NAME_PATTERN, { error: `is not a valid ${what}: ${NAME_RULE}`, abort: true });

/** A guest disk target as libvirt names it: `vda`, `sdb`, `hdc`, `xvda`. */
export const diskTarget = z.string().regex(/^[a-z]{1,4}[a-z0-9]{1,12}$/, {
  error: "is not a disk target: use the guest device name, such as vda or sdb",
});

// Control characters cannot be stored in libvirt's XML (XML 1.0 allows only tab, LF and CR).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Free text stored in libvirt XML (descriptions). */
export const freeText = z
  .string({ error: "must be a string" })
  .max(4096, { error: "is too long: at most 4096 characters", abort: true })
  .refine((text) => !CONTROL_CHARACTERS.test(text), { error: "contains control characters", abort: true });

/** An absolute, normalized path on the target host. */
export const absolutePath = z
  .string({ error: "must be a string: an absolute path on the host" })
  .min(2, { error: "must be an absolute path on the host, such as /var/lib/libvirt/images/x", abort: true })
  .max(4096, { error: "is too long", abort: true })
  .refine((path) => path.startsWith("/"), { error: "must be an absolute path (start with /)", abort: true })
  .refine((path) => !CONTROL_CHARACTERS.test(path) && !path.includes("\n"), {
    error: "contains control characters or newlines",
    abort: true,
  })
  .refine((path) => path.split("/").every((part) => part !== ".." && part !== "."), {
    error: "must not contain . or .. segments",
  })
  .refine((path) => posix.normalize(path) === path && !path.endsWith("/"), {
    error: "must be normalized (no //, no trailing /)",
  });

/**
 * A libvirt connection URI such as `qemu:///system` or `qemu+ssh://root@host/system`, taken
 * apart the way libvirt does (host/libvirt-uri.ts). With `reachesHost`, qemu-img and file
 * operations must reach its host too: a local or `+ssh` URI whose ssh login virtsnap can use.
 */
export function libvirtUri(options: { reachesHost: boolean }) {
  return z
    .string({ error: "must be a string: a libvirt URI such as qemu:///system" })
    .regex(/^[a-z][a-z0-9]*(?:\+[a-z0-9]+)?:\/\/[^\s'"`$;&|<>\\]*$/, {
      error: "is not a libvirt URI: use e.g. qemu:///system or qemu+ssh://user@host/system",
      abort: true,
    })
    .superRefine((uri, context) => {
      try {
        const parsed = parseLibvirtUri(uri);
        const problem = options.reachesHost ? shellProblem(parsed) : undefined;
        if (problem !== undefined) context.addIssue({ code: "custom", message: problem.message });
      } catch (error) {
        if (!(error instanceof LibvirtUriError)) throw error;
        context.addIssue({ code: "custom", message: error.message });
      }
    });
}

/**
 * A directory virtsnap writes into and removes from: absolute, normalized, and only characters
 * that are safe in every shell and tool (no spaces, quotes, `$`, `;`, globs).
 */
export const safeDirectory = absolutePath
  .refine((path) => /^[A-Za-z0-9_./+@,:=-]+$/.test(path), {
    error: "may only contain letters, digits and _ . / + @ , : = -",
    abort: true,
  })
  .refine((path) => path.split("/").filter(Boolean).length >= 2, {
    error: "must be at least two levels deep (e.g. /var/backups/vms), never / or a top-level directory",
  });
