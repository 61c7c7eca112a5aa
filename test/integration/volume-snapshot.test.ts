// VolumeSnapshot's provider hooks, called as the engine calls them, against real qemu-img and libvirtd.
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { CommandError } from "../../provider/host/errors.js";
import { openHost } from "../../provider/host/host.js";
import { SshCommandRunner } from "../../provider/host/ssh-command-runner.js";
import {
  createVolumeSnapshot,
  deleteVolumeSnapshot,
  readVolumeSnapshot,
} from "../../provider/resources/volume-snapshot/lifecycle.js";
import { volumeSnapshotProvider as provider } from "../../provider/resources/volume-snapshot/provider.js";
import type { VolumeSnapshotOutputs } from "../../provider/resources/volume-snapshot/schema.js";
import { toolsFor } from "../../provider/tools/host-tools.js";
import { runner, TEST_URI, tools, virsh } from "./rig/host.js";
import { startSshd } from "./rig/sshd.js";
import { createPoolVolume, createTestPool } from "./rig/storage-pool.js";
import { createTestDomain } from "./rig/test-domain.js";

const MiB = 1024 * 1024;

/** check then create, as `pulumi up` does for a new resource; fails on check failures. */
async function up(inputs: Record<string, unknown>): Promise<{ id: string; outs: VolumeSnapshotOutputs }> {
  const checked = await provider.check?.({}, { uri: TEST_URI, ...inputs });
  expect(checked?.failures ?? []).toEqual([]);
  const { id, outs } = await provider.create(checked?.inputs);
  return { id, outs };
}

/** check then create, expecting create to fail; returns its message. */
async function failedUp(inputs: Record<string, unknown>): Promise<string> {
  const error = await up(inputs).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "virtsnap-volume-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function image(path: string, format: "qcow2" | "raw" = "qcow2"): Promise<string> {
  await runner.run(["qemu-img", "create", "-q", "-f", format, path, "64M"]);
  return path;
}

const names = async (path: string) =>
  (await tools.qemuImg.snapshots(path, { shareLocked: true })).map((snapshot) => snapshot.name);

function expectNoUndefined(value: unknown, path = "outs"): void {
  expect(value, path).not.toBeUndefined();
  if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) expectNoUndefined(inner, `${path}.${key}`);
  }
}

describe("VolumeSnapshot of an image file", () => {
  it("takes the snapshot, reads it back, and deletes it; a second delete and a read after it succeed", async () => {
    const path = await image(join(await scratch(), "golden.qcow2"));
    const started = Date.now();
    const { id, outs } = await up({ volume: { path }, name: "before-change" });

    expect(await names(path)).toEqual(["before-change"]);
    expect(id).toBe(`${path}@before-change`);
    expect(outs).toMatchObject({
      uri: TEST_URI,
      volume: { path },
      name: "before-change",
      adopt: false,
      path,
      format: "qcow2",
      virtualSize: 64 * MiB,
      snapshotId: "1",
      vmStateSize: 0,
      adopted: false,
    });
    expect(Math.abs(Date.parse(outs.createdAt) - started)).toBeLessThan(60_000);
    expectNoUndefined(outs);
    expect(await provider.read?.(id, outs)).toEqual({ id, props: outs });

    await provider.delete?.(id, outs);
    expect(await names(path)).toEqual([]);
    await provider.delete?.(id, outs);
    expect(await provider.read?.(id, outs)).toEqual({ id: "", props: {} });
    expect((await tools.qemuImg.check(path)).clean).toBe(true);
  });

  it("records the real path of an image named through a symbolic link", async () => {
    const dir = await scratch();
    const path = await image(join(dir, "golden.qcow2"));
    await mkdir(join(dir, "links"));
    await symlink("../golden.qcow2", join(dir, "links", "current.qcow2"));
    const { outs } = await up({ volume: { path: join(dir, "links", "current.qcow2") }, name: "s" });
    expect(outs).toMatchObject({ volume: { path: join(dir, "links", "current.qcow2") }, path });
  });

  it("reads a snapshot deleted behind its back, or a removed image, as gone", async () => {
    const dir = await scratch();
    const path = await image(join(dir, "golden.qcow2"));
    const { id, outs } = await up({ volume: { path }, name: "s" });
    await runner.run(["qemu-img", "snapshot", "-d", "s", path]);
    expect(await provider.read?.(id, outs)).toEqual({ id: "", props: {} });
    await rm(path);
    expect(await provider.read?.(id, outs)).toEqual({ id: "", props: {} });
    await provider.delete?.(id, outs);
  });

  it("refuses a name the image already has, and takes it over with adopt", async () => {
    const path = await image(join(await scratch(), "golden.qcow2"));
    await runner.run(["qemu-img", "snapshot", "-c", "handmade", path]);

    expect(await failedUp({ volume: { path }, name: "handmade" })).toMatch(
      /already has an internal snapshot named "handmade" \(id 1, .*Set adopt: true/,
    );
    const { outs } = await up({ volume: { path }, name: "handmade", adopt: true });
    expect(outs).toMatchObject({ snapshotId: "1", adopted: true });
    expect(await names(path)).toEqual(["handmade"]);
  });
});

describe("VolumeSnapshots of one image at once", () => {
  it("takes and deletes several in parallel, as Pulumi runs independent resources, waiting on qemu-img's lock", async () => {
    const path = await image(join(await scratch(), "golden.qcow2"));
    const made = await Promise.all(["a", "b", "c", "d"].map((name) => up({ volume: { path }, name })));
    expect((await names(path)).sort()).toEqual(["a", "b", "c", "d"]);
    expect(new Set(made.map(({ outs }) => outs.snapshotId)).size).toBe(4);

    await Promise.all(made.map(({ id, outs }) => provider.delete?.(id, outs)));
    expect(await names(path)).toEqual([]);
    expect((await tools.qemuImg.check(path)).clean).toBe(true);
  });
});

describe("VolumeSnapshot of a storage pool volume", () => {
  it("resolves the volume with vol-path and takes the snapshot in its file", async () => {
    const pool = await createTestPool();
    const path = await createPoolVolume(pool, "golden.qcow2");
    const { id, outs } = await up({ volume: { pool: pool.name, name: "golden.qcow2" }, name: "pre" });
    expect(outs).toMatchObject({ volume: { pool: pool.name, name: "golden.qcow2" }, path, format: "qcow2" });
    expect(await names(path)).toEqual(["pre"]);
    await provider.delete?.(id, outs);
    expect(await names(path)).toEqual([]);
  });
});

describe("VolumeSnapshot failures before anything is written", () => {
  it("refuses a raw image, saying that it needs qcow2", async () => {
    const path = await image(join(await scratch(), "disk.raw"), "raw");
    const before = await tools.qemuImg.info(path);
    expect(await failedUp({ volume: { path }, name: "s" })).toBe(
      `Could not take snapshot "s" of ${path}: ${path} on localhost is a raw image: VolumeSnapshot needs qcow2 ` +
        "(internal snapshots live inside the qcow2 image). Convert a copy with " +
        `\`qemu-img convert -O qcow2 ${path} NEW.qcow2\` and use that.`,
    );
    expect(await tools.qemuImg.info(path)).toEqual(before);
  });

  it("refuses a raw volume of a pool", async () => {
    const pool = await createTestPool();
    await createPoolVolume(pool, "disk.raw", { format: "raw" });
    expect(await failedUp({ volume: { pool: pool.name, name: "disk.raw" }, name: "s" })).toMatch(
      /disk\.raw on localhost is a raw image: VolumeSnapshot needs qcow2/,
    );
  });

  it("refuses qcow2 images qemu cannot keep internal snapshots in: an external data file, encryption", async () => {
    const dir = await scratch();
    const withDataFile = join(dir, "data-file.qcow2");
    await runner.run([
      "qemu-img",
      "create",
      "-q",
      "-f",
      "qcow2",
      "-o",
      `data_file=${dir}/data.raw`,
      withDataFile,
      "64M",
    ]);
    expect(await failedUp({ volume: { path: withDataFile }, name: "s" })).toMatch(
      `${withDataFile} on localhost keeps its data in the external file ${dir}/data.raw, and QEMU cannot take internal snapshots of such images`,
    );
    const encrypted = join(dir, "encrypted.qcow2");
    const createEncrypted = () =>
      runner.run([
        "qemu-img",
        "create",
        "-q",
        "--object",
        "secret,id=sec0,data=virtsnap",
        "-f",
        "qcow2",
        "-o",
        "encrypt.format=luks,encrypt.key-secret=sec0",
        encrypted,
        "64M",
      ]);
    // QEMU 7.2 times its LUKS key derivation with getrusage and gives up ("Unable to get accurate
    // CPU usage") when a loaded machine gives it no CPU time while it measures: try again.
    await createEncrypted().catch((error: unknown) => {
      if (!(error instanceof CommandError && /Unable to get accurate CPU usage/.test(error.stderr)))
        throw error;
      return createEncrypted();
    });
    expect(await failedUp({ volume: { path: encrypted }, name: "s" })).toMatch(
      `${encrypted} on localhost is encrypted: virtsnap does not handle image secrets`,
    );
  });

  it("says that a path does not exist", async () => {
    const path = join(await scratch(), "missing.qcow2");
    expect(await failedUp({ volume: { path }, name: "s" })).toBe(
      `Could not take snapshot "s" of ${path}: ${path} does not exist on localhost`,
    );
  });

  it("refuses a directory and a device", async () => {
    const dir = await scratch();
    expect(await failedUp({ volume: { path: dir }, name: "s" })).toMatch(/is a directory, not an image file/);
    expect(await failedUp({ volume: { path: "/dev/null" }, name: "s" })).toMatch(
      /\/dev\/null on localhost is not a regular file \(a block or character device, such as an LVM volume\?\): VolumeSnapshot supports qcow2 image files only/,
    );
  });

  it("names the pools there when the pool does not exist", async () => {
    const pool = await createTestPool();
    const message = await failedUp({ volume: { pool: "no-such-pool", name: "golden.qcow2" }, name: "s" });
    expect(message).toMatch(
      new RegExp(
        `^Could not take snapshot "s" of no-such-pool/golden.qcow2: storage pool 'no-such-pool' does not exist on ${TEST_URI} \\(pools there: .*${pool.name}.*\\)\\. \`virsh pool-list --all\` lists them\\.$`,
      ),
    );
  });

  it("names the pool's volumes when the volume does not exist", async () => {
    const pool = await createTestPool();
    await createPoolVolume(pool, "a.qcow2");
    await createPoolVolume(pool, "b.qcow2");
    expect(await failedUp({ volume: { pool: pool.name, name: "c.qcow2" }, name: "s" })).toBe(
      `Could not take snapshot "s" of ${pool.name}/c.qcow2: storage pool '${pool.name}' on ${TEST_URI} has no ` +
        "volume 'c.qcow2' (its volumes: a.qcow2, b.qcow2). A file copied into the pool's directory behind " +
        `libvirt's back appears after \`virsh pool-refresh ${pool.name}\`.`,
    );
  });

  it("says how to start a pool that is not active", async () => {
    const pool = await createTestPool();
    await virsh("pool-destroy", "--pool", pool.name);
    expect(await failedUp({ volume: { pool: pool.name, name: "a.qcow2" }, name: "s" })).toMatch(
      `storage pool '${pool.name}' on ${TEST_URI} is not active: start it with \`virsh pool-start ${pool.name}\``,
    );
  });
});

describe("VolumeSnapshot of an image a running domain uses", () => {
  it("refuses to create, naming the domain, and leaves the image as it was", async () => {
    const domain = await createTestDomain({ disks: 1 });
    const disk = domain.disks[0]?.path as string;
    const message = await failedUp({ volume: { path: disk }, name: "s" });
    expect(message).toMatch(
      new RegExp(
        `^Could not take snapshot "s" of ${disk}: ${disk} on localhost is in use: running domain "${domain.name}" \\(disk vda\\) has it open\\..*DomainSnapshot`,
      ),
    );
    await virsh("destroy", "--domain", domain.name);
    expect(await names(disk)).toEqual([]);
    expect((await tools.qemuImg.check(disk)).clean).toBe(true);
  });

  it("refuses to delete while a domain uses the image, and deletes once it is shut off", async () => {
    const domain = await createTestDomain({ disks: 1, running: false });
    const disk = domain.disks[0]?.path as string;
    const { id, outs } = await up({ volume: { path: disk }, name: "offline" });
    await virsh("start", "--domain", domain.name);

    const error = await Promise.resolve(provider.delete?.(id, outs)).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Could not delete snapshot "offline" of ${disk}: .*running domain "${domain.name}" \\(disk vda\\).*retainOnDelete: true`,
      ),
    );
    expect(await names(disk)).toEqual(["offline"]);

    await virsh("destroy", "--domain", domain.name);
    await provider.delete?.(id, outs);
    expect(await names(disk)).toEqual([]);
  });
});

describe("VolumeSnapshot on a host reached over ssh", () => {
  it("resolves, checks and snapshots the image with realpath, stat and qemu-img run over ssh", async () => {
    const sshd = await startSshd();
    onTestFinished(() => sshd.stop());
    const dir = await scratch();
    // Quoting matters on the way: the remote shell must hand this path over untouched.
    const path = await image(join(dir, "golden $(x) it's.qcow2"));
    const ssh = SshCommandRunner.fromUri(sshd.uri());
    // virsh (the domain list) goes through the local URI; everything else through ssh.
    const overSsh = toolsFor({ ...openHost(TEST_URI, { local: runner }), shell: ssh });
    const { id, outs } = await createVolumeSnapshot(overSsh, {
      uri: TEST_URI,
      volume: { path },
      name: "remote",
    });
    expect(outs).toMatchObject({ path, format: "qcow2", snapshotId: "1" });
    expect(await names(path)).toEqual(["remote"]);
    expect(await readVolumeSnapshot(overSsh, id, outs)).toEqual({ id, props: outs });
    await deleteVolumeSnapshot(overSsh, outs);
    expect(await names(path)).toEqual([]);
  });
});
