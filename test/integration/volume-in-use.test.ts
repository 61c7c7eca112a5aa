// The in-use check against real domains: an image a running domain has open, as a disk or below one.
import { symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ImageLockedError } from "../../provider/tools/qemu-img/errors.js";
import { VolumeInUseError } from "../../provider/volumes/volume-errors.js";
import { assertNotInUse, findVolumeUsers } from "../../provider/volumes/volume-users.js";
import { runner, tools, virsh } from "./rig/host.js";
import { createPoolVolume, createTestPool } from "./rig/storage-pool.js";
import { createTestDomain, type TestDomain } from "./rig/test-domain.js";

async function qcow2(path: string, backing?: string): Promise<string> {
  const backingArgs = backing === undefined ? [] : ["-F", "qcow2", "-b", backing];
  await runner.run(["qemu-img", "create", "-q", "-f", "qcow2", ...backingArgs, path, "64M"]);
  return path;
}

/**
 * Hot-plugs the image into the running domain as USB disk `sdb` (the test domains have no ACPI,
 * so their PCI bus takes no hotplug; the USB controller does).
 */
async function attach(domain: TestDomain, image: string): Promise<void> {
  await virsh(
    "attach-disk",
    "--domain",
    domain.name,
    "--source",
    image,
    "--target",
    "sdb",
    "--subdriver",
    "qcow2",
    "--targetbus",
    "usb",
    "--live",
  );
}

/** A shut-off test domain whose vda becomes an overlay on the image `backing` makes, then started. */
async function domainOver(backing: (dir: string) => Promise<string>): Promise<TestDomain> {
  const domain = await createTestDomain({ disks: 1, running: false });
  await qcow2(domain.disks[0]?.path as string, await backing(domain.dir));
  await virsh("start", "--domain", domain.name);
  return domain;
}

describe("findVolumeUsers", () => {
  it("names the domain and disk when a running domain has the image attached, also through a symlink", async () => {
    const domain = await createTestDomain({ disks: 1 });
    const image = await qcow2(join(domain.dir, "golden.qcow2"));
    expect(await findVolumeUsers(tools, image)).toEqual([]);

    await attach(domain, image);
    const expected = { domain: domain.name, domainUuid: domain.uuid, disk: "sdb", image, via: "disk" };
    expect(await findVolumeUsers(tools, image)).toEqual([expected]);
    const link = join(domain.dir, "link.qcow2");
    await symlink(image, link);
    expect(await findVolumeUsers(tools, await tools.files.realPath(link))).toEqual([expected]);

    const error = await assertNotInUse(tools, { label: link, path: image }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(VolumeInUseError);
    expect((error as Error).message).toBe(
      `${link} (${image}) on localhost is in use: running domain "${domain.name}" (disk sdb) has it open. qemu-img must ` +
        "not change an image that a running QEMU has open (the guest would see its disk change under it, and " +
        "the image could be corrupted). Shut the domain down first, or snapshot the running domain's disks " +
        "through libvirt with DomainSnapshot instead of VolumeSnapshot",
    );
  });

  it("finds a running domain whose disk has the image as its backing file", async () => {
    let base = "";
    const domain = await domainOver(async (dir) => {
      base = await qcow2(join(dir, "base.qcow2"));
      return base;
    });
    const overlay = domain.disks[0]?.path as string;

    expect(await findVolumeUsers(tools, base)).toEqual([
      { domain: domain.name, domainUuid: domain.uuid, disk: "vda", image: overlay, via: "backing" },
    ]);
    await expect(assertNotInUse(tools, { label: base, path: base })).rejects.toThrow(
      `running domain "${domain.name}" (disk vda, whose image ${overlay} has it in its backing chain) has it open`,
    );
  });

  it("finds a backing file two levels down the chain", async () => {
    let bottom = "";
    let middle = "";
    const domain = await domainOver(async (dir) => {
      bottom = await qcow2(join(dir, "bottom.qcow2"));
      middle = await qcow2(join(dir, "middle.qcow2"), bottom);
      return middle;
    });
    const overlay = domain.disks[0]?.path as string;
    for (const image of [middle, bottom]) {
      expect(await findVolumeUsers(tools, image)).toEqual([
        { domain: domain.name, domainUuid: domain.uuid, disk: "vda", image: overlay, via: "backing" },
      ]);
    }
  });

  it("finds a running domain that uses a pool volume as a type='volume' disk", async () => {
    const domain = await createTestDomain({ disks: 1 });
    const pool = await createTestPool();
    const path = await createPoolVolume(pool, "golden.qcow2");
    const xml = join(domain.dir, "volume-disk.xml");
    await writeFile(
      xml,
      `<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>` +
        `<source pool='${pool.name}' volume='golden.qcow2'/><target dev='sdc' bus='usb'/></disk>`,
    );
    await virsh("attach-device", "--domain", domain.name, "--file", xml, "--live");

    expect(await findVolumeUsers(tools, path)).toEqual([
      { domain: domain.name, domainUuid: domain.uuid, disk: "sdc", image: path, via: "disk" },
    ]);
  });

  it("counts a paused domain, and no domain once it is shut off", async () => {
    const domain = await createTestDomain({ disks: 1 });
    const disk = domain.disks[0]?.path as string;
    await virsh("suspend", "--domain", domain.name);
    expect(await findVolumeUsers(tools, disk)).toMatchObject([{ domain: domain.name, via: "disk" }]);
    await virsh("destroy", "--domain", domain.name);
    expect(await findVolumeUsers(tools, disk)).toEqual([]);
  });
});

describe("QEMU's image lock, the last line when a domain starts between the check and the write", () => {
  it("stops a snapshot of a running domain's disk, with the in-use check bypassed, and writes nothing", async () => {
    const domain = await createTestDomain({ disks: 1 });
    const disk = domain.disks[0]?.path as string;
    const before = await tools.qemuImg.snapshots(disk, { shareLocked: true });

    await expect(tools.qemuImg.createSnapshot(disk, "raced")).rejects.toBeInstanceOf(ImageLockedError);

    expect(await tools.qemuImg.snapshots(disk, { shareLocked: true })).toEqual(before);
    await virsh("destroy", "--domain", domain.name);
    expect(await tools.qemuImg.check(disk)).toMatchObject({
      clean: true,
      corruptions: 0,
      leaks: 0,
    });
    expect(await tools.qemuImg.snapshots(disk)).toEqual(before);
  });

  it("stops a snapshot of a running domain's backing file, with the in-use check bypassed, and writes nothing", async () => {
    let base = "";
    const domain = await domainOver(async (dir) => {
      base = await qcow2(join(dir, "base.qcow2"));
      return base;
    });
    // QEMU shares reads of a backing file, so qemu-img's look-up before the write succeeds:
    // the write itself is what the lock refuses.
    expect(await tools.qemuImg.snapshots(base)).toEqual([]);

    await expect(tools.qemuImg.createSnapshot(base, "raced")).rejects.toBeInstanceOf(ImageLockedError);

    expect(await tools.qemuImg.snapshots(base, { shareLocked: true })).toEqual([]);
    await virsh("destroy", "--domain", domain.name);
    expect(await tools.qemuImg.check(base)).toMatchObject({ clean: true });
    expect(await tools.qemuImg.snapshots(base)).toEqual([]);
  });
});
