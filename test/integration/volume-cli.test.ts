// `virtsnap volume list` and `volume revert` against real qemu-img and libvirtd, through runCli.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it, onTestFinished } from "vitest";
import type { CliIo } from "../../provider/cli/io.js";
import { runCli } from "../../provider/cli/main.js";
import { openHost } from "../../provider/host/host.js";
import { toolsFor } from "../../provider/tools/host-tools.js";
import { runner, TEST_URI, tools, virsh } from "./rig/host.js";
import { createPoolVolume, createTestPool } from "./rig/storage-pool.js";
import { createTestDomain } from "./rig/test-domain.js";

/** Runs `virtsnap ARGS` in this process with real runners, and returns what it printed. */
async function virtsnap(...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const io: CliIo = {
    stdout,
    stderr,
    interactive: false,
    env: {},
    connect: (uri, log) => toolsFor(openHost(uri, { local: runner, log })),
  };
  const exitCode = await runCli(args, io);
  return { exitCode, stdout: out, stderr: err };
}

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "virtsnap-volume-cli-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function run(...argv: string[]): Promise<void> {
  await runner.run(argv);
}

describe("virtsnap volume list", () => {
  it("prints the snapshots of an image as a table, and as JSON", async () => {
    const path = join(await scratch(), "golden.qcow2");
    await run("qemu-img", "create", "-q", "-f", "qcow2", path, "64M");
    await run("qemu-img", "snapshot", "-c", "first", path);
    await run("qemu-img", "snapshot", "-c", "second", path);

    const table = await virtsnap("volume", "list", path, "--uri", TEST_URI);
    expect(table).toMatchObject({ exitCode: 0, stderr: "" });
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`${path}: qcow2, 64 MiB, 2 snapshots`);
    expect(lines[1]).toMatch(/^ID\s+NAME\s+VM STATE\s+DATE$/);
    expect(lines[2]).toMatch(/^1\s+first\s+0 B\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(lines[3]).toMatch(/^2\s+second\s+0 B\s+/);

    const json = await virtsnap("volume", "list", path, "--json");
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      volume: path,
      path,
      format: "qcow2",
      virtualSize: 64 * 1024 * 1024,
      snapshots: [
        { id: "1", name: "first", vmStateSize: 0 },
        { id: "2", name: "second", vmStateSize: 0 },
      ],
    });
  });

  it("lists a pool volume named POOL/VOLUME, and says when the pool does not exist", async () => {
    const pool = await createTestPool();
    const path = await createPoolVolume(pool, "golden.qcow2");
    const listed = await virtsnap("volume", "list", `${pool.name}/golden.qcow2`);
    expect(listed).toMatchObject({ exitCode: 0 });
    expect(listed.stdout).toBe(`${pool.name}/golden.qcow2 (${path}): qcow2, 64 MiB, 0 snapshots\n`);

    const missing = await virtsnap("volume", "list", "no-such-pool/golden.qcow2");
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(
      /^virtsnap volume: storage pool 'no-such-pool' does not exist on qemu:\/\/\/system/,
    );
  });

  it("refuses hostile volume arguments as usage errors", async () => {
    for (const [argument, reason] of [
      ["relative.qcow2", /give an image path .* or a storage pool volume as POOL\/VOLUME/],
      ["a/b/c", /give an image path/],
      ["pool/--help", /name is not a valid volume name/],
      ["po;ol/x.qcow2", /pool is not a valid storage pool name/],
      ["/var/x\ny.qcow2", /path contains control characters or newlines/],
    ] as const) {
      const result = await virtsnap("volume", "list", argument);
      expect(result.exitCode, argument).toBe(2);
      expect(result.stderr, argument).toMatch(reason);
    }
  });
});

describe("virtsnap volume revert", () => {
  it("needs --yes, then brings back the exact bytes of the snapshot", async () => {
    const dir = await scratch();
    const path = join(dir, "golden.qcow2");
    const copy = join(dir, "at-snapshot.qcow2");
    await run("qemu-img", "create", "-q", "-f", "qcow2", path, "64M");
    await run("qemu-io", "-f", "qcow2", "-c", "write -P 0x11 0 4M", path);
    await run("qemu-img", "snapshot", "-c", "before-change", path);
    await run("qemu-img", "convert", "-O", "qcow2", path, copy);
    await run("qemu-io", "-f", "qcow2", "-c", "write -P 0x22 1M 8M", path);
    expect(await tools.qemuImg.compare(path, copy)).toMatchObject({ identical: false });

    const refused = await virtsnap("volume", "revert", path, "before-change");
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(
      new RegExp(
        `reverting ${path} to snapshot 'before-change' \\(id 1, taken [^)]+\\) discards everything written to the image since that snapshot was taken\\. Nothing was changed; run again with --yes to revert\\.`,
      ),
    );
    expect(await tools.qemuImg.compare(path, copy)).toMatchObject({ identical: false });

    const reverted = await virtsnap("volume", "revert", path, "before-change", "--yes");
    expect(reverted).toMatchObject({ exitCode: 0, stderr: "" });
    expect(reverted.stdout).toMatch(/^reverted .* to snapshot 'before-change' \(id 1, taken /);
    expect(await tools.qemuImg.compare(path, copy)).toEqual({
      identical: true,
      sizesDiffer: false,
    });
  });

  it("reverts by id, and names the snapshots when there is no such one", async () => {
    const path = join(await scratch(), "golden.qcow2");
    await run("qemu-img", "create", "-q", "-f", "qcow2", path, "64M");
    await run("qemu-img", "snapshot", "-c", "first", path);
    expect((await virtsnap("volume", "revert", path, "1", "--yes")).exitCode).toBe(0);
    const missing = await virtsnap("volume", "revert", path, "nope", "--yes");
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(
      /has no snapshot named or numbered 'nope' \(its snapshots: first \(id 1\)\)/,
    );
  });

  it("refuses while a running domain uses the image, naming the domain, even with --yes", async () => {
    const domain = await createTestDomain({ disks: 1, running: false });
    const disk = domain.disks[0]?.path as string;
    await run("qemu-img", "snapshot", "-c", "offline", disk);
    await virsh("start", "--domain", domain.name);

    const result = await virtsnap("volume", "revert", disk, "offline", "--yes");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`in use: running domain "${domain.name}" \\(disk vda\\) has it open`),
    );
    expect((await tools.qemuImg.snapshots(disk, { shareLocked: true })).map((s) => s.name)).toEqual([
      "offline",
    ]);
  });
});
