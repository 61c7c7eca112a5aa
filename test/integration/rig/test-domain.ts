// Throwaway test domains: TCG, qcow2 disks, no OS; guest writes through QEMU's monitor; always removed.
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { buildXml } from "../../../provider/tools/xml.js";
import { runner, virsh } from "./host.js";

export const TEST_DOMAIN_PREFIX = "virtsnap-test-";
const IMAGE_ROOT = "/var/lib/libvirt/images";

export interface TestDisk {
  readonly target: string;
  readonly path: string;
  readonly format: "qcow2" | "raw";
}

export interface TestDomain {
  readonly name: string;
  readonly uuid: string;
  /** The directory holding the domain's images (and anything a test puts next to them). */
  readonly dir: string;
  readonly disks: readonly TestDisk[];
}

export interface TestDomainOptions {
  /** Number of virtio disks (vda, vdb, ...). Default 2. */
  readonly disks?: number;
  /** Format of each disk, by position; missing entries are qcow2. */
  readonly formats?: readonly ("qcow2" | "raw")[];
  /** Size of each disk. Default 64M. */
  readonly diskSize?: string;
  /** Start the domain. Default true. */
  readonly running?: boolean;
  /** Remove the domain when the current test finishes. Default true; else call removeTestDomain. */
  readonly removeAfterTest?: boolean;
}

/**
 * Defines (and starts) a domain with a unique name, removed with its snapshot and checkpoint
 * metadata and its files when the current test finishes, whether it passed or not.
 */
export async function createTestDomain(options: TestDomainOptions = {}): Promise<TestDomain> {
  // The pid tells the sweep in global-setup whether the run that made a domain is still alive.
  const name = `${TEST_DOMAIN_PREFIX}${process.pid}-${randomBytes(3).toString("hex")}`;
  const dir = join(IMAGE_ROOT, name);
  if (options.removeAfterTest ?? true) onTestFinished(() => removeTestDomain(name));
  await mkdir(dir, { recursive: true });
  const disks: TestDisk[] = [];
  for (let index = 0; index < (options.disks ?? 2); index++) {
    const target = `vd${String.fromCharCode(97 + index)}`;
    const format = options.formats?.[index] ?? "qcow2";
    const path = join(dir, `${target}.${format}`);
    await runner.run(["qemu-img", "create", "-q", "-f", format, path, options.diskSize ?? "64M"]);
    disks.push({ target, path, format });
  }
  const xmlPath = join(dir, "domain.xml");
  await writeFile(xmlPath, domainXml(name, disks));
  await virsh("define", "--file", xmlPath);
  if (options.running ?? true) await virsh("start", "--domain", name);
  const uuid = (await virsh("domuuid", "--domain", name)).trim();
  return { name, uuid, dir, disks };
}

/** Destroys and undefines the domain, forgetting its snapshots and checkpoints, and deletes its files. */
export async function removeTestDomain(name: string): Promise<void> {
  await virsh("destroy", "--domain", name).catch(() => undefined);
  await virsh("undefine", "--domain", name, "--snapshots-metadata", "--checkpoints-metadata").catch(
    () => undefined,
  );
  await rm(join(IMAGE_ROOT, name), { recursive: true, force: true });
}

/**
 * Writes `length` bytes of `pattern` at `offset` into the running guest's disk, as the guest
 * would: QEMU's qemu-io through the monitor (one command per monitor call, docs/design.md).
 */
export async function writeGuestData(
  domain: TestDomain,
  target: string,
  write: { pattern: number; offset: string; length: string },
): Promise<void> {
  const index = domain.disks.findIndex((disk) => disk.target === target);
  if (index < 0) throw new Error(`test domain ${domain.name} has no disk ${target}`);
  const device = `/machine/peripheral/virtio-disk${index}/virtio-backend`;
  const command = `write -P 0x${write.pattern.toString(16)} ${write.offset} ${write.length}`;
  const answer = await virsh(
    "qemu-monitor-command",
    "--domain",
    domain.name,
    "--hmp",
    `qemu-io -d ${device} "${command}"`,
  );
  if (answer.trim() !== "") throw new Error(`qemu-io in ${domain.name} said: ${answer.trim()}`);
}

function domainXml(name: string, disks: readonly TestDisk[]): string {
  return buildXml({
    domain: {
      // TCG: works on every machine, with or without /dev/kvm.
      "@_type": "qemu",
      name,
      memory: { "@_unit": "MiB", "#text": "64" },
      vcpu: "1",
      os: { type: { "@_arch": "x86_64", "@_machine": "pc", "#text": "hvm" } },
      devices: {
        disk: disks.map((disk) => ({
          "@_type": "file",
          "@_device": "disk",
          driver: { "@_name": "qemu", "@_type": disk.format },
          source: { "@_file": disk.path },
          target: { "@_dev": disk.target, "@_bus": "virtio" },
        })),
      },
    },
  });
}
