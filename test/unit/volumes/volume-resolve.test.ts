import { describe, expect, it } from "vitest";
import { resolveVolume } from "../../../provider/volumes/resolve-volume.js";
import { VolumeError } from "../../../provider/volumes/volume-errors.js";
import type { VolumeRef } from "../../../provider/volumes/volume-ref.js";
import { recordedTools } from "../../support/host-tools.js";
import { RecordingCommandRunner, type ScriptedRule } from "../../support/recording-command-runner.js";
import { fixture, qemuImg, REGULAR_FILE_STAT, realpath, virshRun } from "./volume-host-script.js";

const URI = "qemu:///system";
const IMAGE = "/var/lib/libvirt/images/golden.qcow2";

/** A host where IMAGE is a regular file whose `qemu-img info` says what `info` says. */
function host(info: string, extra: readonly ScriptedRule[] = []): RecordingCommandRunner {
  return new RecordingCommandRunner([
    ...extra,
    realpath(true, [IMAGE]),
    { match: (argv) => argv[0] === "stat", answer: { stdout: REGULAR_FILE_STAT } },
    { match: qemuImg("info", { shared: true }), answer: { stdout: info } },
  ]);
}

async function failure(runner: RecordingCommandRunner, ref: VolumeRef): Promise<VolumeError> {
  const error = await resolveVolume(recordedTools(runner, { uri: URI }), ref).catch(
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VolumeError);
  return error as VolumeError;
}

describe("resolveVolume", () => {
  it("finds a qcow2 image by path with reads only: realpath, stat and qemu-img info -U", async () => {
    const runner = host(fixture("qemu-img", "info-snapshots.stdout"));
    const volume = await resolveVolume(recordedTools(runner, { uri: URI }), { path: IMAGE });
    expect(volume).toMatchObject({ label: IMAGE, path: IMAGE, info: { format: "qcow2" } });
    expect(volume.info.snapshots.map((snapshot) => snapshot.name)).toEqual(["first", "second"]);
    expect(runner.runs.map((run) => run.argv[0])).toEqual(["realpath", "stat", "qemu-img"]);
    expect(runner.runs[2]?.argv).toEqual(["qemu-img", "info", "--output=json", "-U", IMAGE]);
  });

  it("finds a pool volume's file with vol-path", async () => {
    const runner = host(fixture("qemu-img", "info-qcow2.stdout"), [
      { match: virshRun("vol-path"), answer: { stdout: `${IMAGE}\n` } },
    ]);
    const volume = await resolveVolume(recordedTools(runner, { uri: URI }), { pool: "golden", name: "g" });
    expect(volume).toMatchObject({ label: "golden/g", path: IMAGE });
    expect(runner.runs[0]?.argv).toEqual([
      "virsh",
      "--connect",
      URI,
      "--quiet",
      "vol-path",
      "--pool",
      "golden",
      "g",
    ]);
  });

  it("refuses a raw image, saying that internal snapshots need qcow2", async () => {
    const error = await failure(host(fixture("qemu-img", "info-raw.stdout")), { path: IMAGE });
    expect(error.problem).toBe("not-qcow2");
    expect(error.message).toBe(
      `${IMAGE} on recorded-host is a raw image: VolumeSnapshot needs qcow2 (internal snapshots live inside ` +
        `the qcow2 image). Convert a copy with \`qemu-img convert -O qcow2 ${IMAGE} NEW.qcow2\` and use that.`,
    );
  });

  it("refuses a block device, naming LVM, without running qemu-img", async () => {
    const runner = new RecordingCommandRunner([
      realpath(true, ["/dev/vg0/golden"]),
      // st_mode 060660: a block device.
      { match: (argv) => argv[0] === "stat", answer: { stdout: "61b0 0 1795831397 0 6\n" } },
    ]);
    const error = await failure(runner, { path: "/dev/vg0/golden" });
    expect(error.problem).toBe("not-a-file");
    expect(error.message).toMatch(
      /is not a regular file \(a block or character device, such as an LVM volume\?\)/,
    );
    expect(runner.runs.map((run) => run.argv[0])).toEqual(["realpath", "stat"]);
  });

  it("refuses a network volume, whose path is a URL", async () => {
    const runner = new RecordingCommandRunner([
      { match: virshRun("vol-path"), answer: { stdout: "rbd:vms/golden\n" } },
    ]);
    const error = await failure(runner, { pool: "ceph", name: "golden" });
    expect(error).toMatchObject({ problem: "not-a-file", volume: "ceph/golden" });
    expect(error.message).toMatch(
      /^volume ceph\/golden is rbd:vms\/golden, not a file on the host \(a network volume\)/,
    );
    expect(runner.runs).toHaveLength(1);
  });

  it("says that a path does not exist", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: (argv) => argv[0] === "realpath",
        answer: { exitCode: 1, stderr: `realpath: ${IMAGE}: No such file or directory\n` },
      },
    ]);
    const error = await failure(runner, { path: IMAGE });
    expect(error).toMatchObject({
      problem: "not-found",
      message: `${IMAGE} does not exist on recorded-host`,
    });
  });

  it("names the pools there when the pool does not exist", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: virshRun("vol-path"),
        answer: { exitCode: 1, stderr: fixture("virsh", "pool-not-found-vol-path.stderr") },
      },
      { match: virshRun("pool-list"), answer: { stdout: fixture("virsh", "pool-list-all-names.stdout") } },
    ]);
    const error = await failure(runner, { pool: "no-such-pool", name: "golden.qcow2" });
    expect(error.problem).toBe("pool-not-found");
    expect(error.message).toBe(
      `storage pool 'no-such-pool' does not exist on ${URI} (pools there: virtsnap-volume-fixtures, ` +
        "virtsnap-volume-fixtures-idle). `virsh pool-list --all` lists them.",
    );
  });

  it("names the pool's volumes when the volume does not exist", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: virshRun("vol-path"),
        answer: { exitCode: 1, stderr: fixture("virsh", "volume-not-found.stderr") },
      },
      { match: virshRun("vol-list"), answer: { stdout: fixture("virsh", "pool-vol-list.stdout") } },
    ]);
    const error = await failure(runner, { pool: "golden", name: "missing.qcow2" });
    expect(error.problem).toBe("not-found");
    expect(error.message).toBe(
      `storage pool 'golden' on ${URI} has no volume 'missing.qcow2' (its volumes: disk.raw, golden.qcow2, ` +
        "with  two spaces.qcow2). A file copied into the pool's directory behind libvirt's back appears after " +
        "`virsh pool-refresh golden`.",
    );
  });

  it("still says what is missing when the list of pools cannot be read", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: virshRun("vol-path"),
        answer: { exitCode: 1, stderr: fixture("virsh", "pool-not-found-vol-path.stderr") },
      },
    ]);
    const error = await failure(runner, { pool: "x", name: "y" });
    expect(error.message).toBe(
      `storage pool 'x' does not exist on ${URI}. \`virsh pool-list --all\` lists them.`,
    );
  });

  it("says how to start a pool that is not active", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: virshRun("vol-path"),
        answer: { exitCode: 1, stderr: fixture("virsh", "pool-inactive-vol-path.stderr") },
      },
    ]);
    const error = await failure(runner, { pool: "idle", name: "y" });
    expect(error).toMatchObject({
      problem: "pool-inactive",
      message: `storage pool 'idle' on ${URI} is not active: start it with \`virsh pool-start idle\``,
    });
  });
});
