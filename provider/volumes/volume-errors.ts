// Why an image cannot get (or lose, or go back to) an internal snapshot: one error class with a literal `problem`.
import { VirtsnapError, type VirtsnapErrorCode } from "../errors.js";

/** What is wrong with the volume, as a code callers can branch on. */
export type VolumeProblem =
  /** The storage pool is not defined on the connection. */
  | "pool-not-found"
  /** The storage pool is defined but not started. */
  | "pool-inactive"
  /** No such volume in the pool, or no such file on the host. */
  | "not-found"
  /** A directory, a block or character device, or a network volume: not an image file. */
  | "not-a-file"
  /** An image file of another format (raw, vmdk, ...). */
  | "not-qcow2"
  /** A qcow2 image qemu-img cannot take internal snapshots of (external data file, encryption, marked corrupt). */
  | "unsupported"
  /** A running domain has the image open, or an image whose backing chain holds it. */
  | "in-use"
  /** The image already has an internal snapshot of the name asked for. */
  | "snapshot-exists"
  /** The image has no internal snapshot of the name (or id) asked for. */
  | "snapshot-not-found"
  /** Another process holds the image's lock (a domain that opened it after the in-use check). */
  | "locked";

/** The volume is not one virtsnap can snapshot right now; the message says why and what to do. */
export class VolumeError extends VirtsnapError {
  readonly code: VirtsnapErrorCode = "volume-unusable";
  /** The volume as the user named it: its path, or `pool/name`. */
  readonly volume: string;
  /** Where the commands ran: `localhost` or `user@host`. */
  readonly host: string;
  readonly problem: VolumeProblem;

  constructor(
    message: string,
    facts: { volume: string; host: string; problem: VolumeProblem; cause?: unknown },
  ) {
    super(message, { cause: facts.cause });
    this.volume = facts.volume;
    this.host = facts.host;
    this.problem = facts.problem;
  }
}

/** A running domain that has the image open. */
export interface VolumeUser {
  readonly domain: string;
  readonly domainUuid: string;
  /** The guest disk (`vda`) through which it uses the image. */
  readonly disk: string;
  /** The image the domain opened for that disk (the top of its backing chain). */
  readonly image: string;
  /** `disk`: the disk's image is this image; `backing`: this image is in that disk's backing chain. */
  readonly via: "disk" | "backing";
}

/** Running domains have the image open: qemu-img must not write to it. */
export class VolumeInUseError extends VolumeError {
  override readonly code = "volume-in-use";
  readonly users: readonly VolumeUser[];

  /** `path` is the image's canonical path, named too when the user called it otherwise (`pool/name`). */
  constructor(volume: string, host: string, users: readonly VolumeUser[], path = volume) {
    const named = path === volume ? volume : `${volume} (${path})`;
    super(`${named} on ${host} is in use: ${describeUsers(users)}. ${IN_USE_ADVICE}`, {
      volume,
      host,
      problem: "in-use",
    });
    this.users = users;
  }
}

const IN_USE_ADVICE =
  "qemu-img must not change an image that a running QEMU has open (the guest would see its disk " +
  "change under it, and the image could be corrupted). Shut the domain down first, or snapshot the " +
  "running domain's disks through libvirt with DomainSnapshot instead of VolumeSnapshot";

/** `running domain "web1" (disk vda)`, `running domain "web2" (disk vdb, whose image /x.qcow2 has it as a backing file)`. */
function describeUsers(users: readonly VolumeUser[]): string {
  const domains = [...new Set(users.map((user) => user.domain))];
  const parts = domains.map((domain) => {
    const disks = users
      .filter((user) => user.domain === domain)
      .map((user) =>
        user.via === "disk"
          ? `disk ${user.disk}`
          : `disk ${user.disk}, whose image ${user.image} has it in its backing chain`,
      );
    return `running domain "${domain}" (${disks.join("; ")})`;
  });
  return `${parts.join(" and ")} ${domains.length === 1 ? "has" : "have"} it open`;
}
