import { describe, expect, it } from "vitest";
import { VolumeInUseError } from "../../../provider/volumes/volume-errors.js";
import { assertNotInUse, findVolumeUsers } from "../../../provider/volumes/volume-users.js";
import { recordedTools } from "../../support/host-tools.js";
import { RecordingCommandRunner } from "../../support/recording-command-runner.js";
import { DOMAIN, fixture, RUNNING_DOMAIN, realpath, virshRun } from "./volume-host-script.js";

const URI = "qemu:///system";
const tools = (runner: RecordingCommandRunner) => recordedTools(runner, { uri: URI });

describe("findVolumeUsers", () => {
  it.each([
    [
      "the pool volume of a type='volume' disk",
      DOMAIN.golden,
      [{ disk: "vda", image: DOMAIN.golden, via: "disk" }],
    ],
    ["a disk's image", DOMAIN.overlay, [{ disk: "vdb", image: DOMAIN.overlay, via: "disk" }]],
    ["a disk's backing file", DOMAIN.base, [{ disk: "vdb", image: DOMAIN.overlay, via: "backing" }]],
    ["an image no domain has open", "/var/lib/libvirt/images/other.qcow2", []],
  ])("finds the running domain's use of %s", async (_what, path, uses) => {
    const runner = new RecordingCommandRunner(RUNNING_DOMAIN);
    const users = await findVolumeUsers(tools(runner), path);
    expect(users).toEqual(uses.map((use) => ({ domain: DOMAIN.name, domainUuid: DOMAIN.uuid, ...use })));
  });

  it("reads the live XML of each active domain by UUID and canonicalizes every path in one realpath", async () => {
    const runner = new RecordingCommandRunner(RUNNING_DOMAIN);
    await findVolumeUsers(tools(runner), DOMAIN.base);
    expect(runner.runs.map((run) => run.argv)).toEqual([
      ["virsh", "--connect", URI, "--quiet", "list", "--uuid"],
      ["virsh", "--connect", URI, "--quiet", "dumpxml", "--domain", DOMAIN.uuid],
      [
        "virsh",
        "--connect",
        URI,
        "--quiet",
        "vol-path",
        "--pool",
        "virtsnap-volume-fixtures",
        "golden.qcow2",
      ],
      ["realpath", "-m", "-z", "--", DOMAIN.golden, DOMAIN.overlay, DOMAIN.base],
    ]);
  });

  it("matches an image whose disk path is a symbolic link to it", async () => {
    const runner = new RecordingCommandRunner([
      ...RUNNING_DOMAIN.slice(0, 3),
      realpath(false, [DOMAIN.golden, "/srv/images/overlay.qcow2", DOMAIN.base]),
    ]);
    expect(await findVolumeUsers(tools(runner), "/srv/images/overlay.qcow2")).toMatchObject([
      { disk: "vdb", image: DOMAIN.overlay, via: "disk" },
    ]);
  });

  it("runs nothing on the host when no domain is active", async () => {
    const runner = new RecordingCommandRunner([{ match: virshRun("list"), answer: { stdout: "\n" } }]);
    expect(await findVolumeUsers(tools(runner), DOMAIN.base)).toEqual([]);
    expect(runner.runs).toHaveLength(1);
  });

  it("skips a domain undefined since the list was read", async () => {
    const runner = new RecordingCommandRunner([
      RUNNING_DOMAIN[0] as (typeof RUNNING_DOMAIN)[number],
      {
        match: virshRun("dumpxml"),
        answer: { exitCode: 1, stderr: fixture("virsh", "domain-not-found.stderr") },
      },
    ]);
    expect(await findVolumeUsers(tools(runner), DOMAIN.base)).toEqual([]);
  });

  it("skips a domain stopped since the list was read", async () => {
    const runner = new RecordingCommandRunner([
      RUNNING_DOMAIN[0] as (typeof RUNNING_DOMAIN)[number],
      { match: virshRun("dumpxml"), answer: { stdout: fixture("virsh", "domain-dumpxml-shutoff.stdout") } },
    ]);
    expect(await findVolumeUsers(tools(runner), DOMAIN.base)).toEqual([]);
  });

  it("leaves out a volume disk whose pool is gone, and still checks the other disks", async () => {
    const runner = new RecordingCommandRunner([
      RUNNING_DOMAIN[0] as (typeof RUNNING_DOMAIN)[number],
      RUNNING_DOMAIN[1] as (typeof RUNNING_DOMAIN)[number],
      {
        match: virshRun("vol-path"),
        answer: { exitCode: 1, stderr: fixture("virsh", "pool-not-found-vol-path.stderr") },
      },
      realpath(false, [DOMAIN.overlay, DOMAIN.base]),
    ]);
    expect(await findVolumeUsers(tools(runner), DOMAIN.base)).toMatchObject([
      { disk: "vdb", via: "backing" },
    ]);
  });

  it("fails when libvirt cannot be asked, rather than calling the image unused", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: virshRun("list"),
        answer: { exitCode: 1, stderr: "error: failed to connect to the hypervisor\n" },
      },
    ]);
    await expect(findVolumeUsers(tools(runner), DOMAIN.base)).rejects.toThrow(/failed to connect/);
  });
});

describe("assertNotInUse", () => {
  it("names the domain, the disk and the image above it, and points at DomainSnapshot", async () => {
    const runner = new RecordingCommandRunner(RUNNING_DOMAIN, "root@host1");
    const error = await assertNotInUse(tools(runner), {
      label: "golden/base.qcow2",
      path: DOMAIN.base,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VolumeInUseError);
    expect(error).toMatchObject({
      volume: "golden/base.qcow2",
      host: "root@host1",
      problem: "in-use",
      users: [{ domain: DOMAIN.name, disk: "vdb", via: "backing" }],
    });
    expect((error as Error).message).toBe(
      `golden/base.qcow2 (${DOMAIN.base}) on root@host1 is in use: running domain "${DOMAIN.name}" (disk vdb, whose image ` +
        `${DOMAIN.overlay} has it in its backing chain) has it open. qemu-img must not change an image that a ` +
        "running QEMU has open (the guest would see its disk change under it, and the image could be " +
        "corrupted). Shut the domain down first, or snapshot the running domain's disks through libvirt with " +
        "DomainSnapshot instead of VolumeSnapshot",
    );
  });

  it("names every domain that has the image open", () => {
    const error = new VolumeInUseError("/g.qcow2", "localhost", [
      { domain: "web1", domainUuid: "u1", disk: "vda", image: "/g.qcow2", via: "disk" },
      { domain: "web2", domainUuid: "u2", disk: "vdb", image: "/w2.qcow2", via: "backing" },
      { domain: "web2", domainUuid: "u2", disk: "vdc", image: "/g.qcow2", via: "disk" },
    ]);
    expect(error.message).toMatch(
      /^\/g\.qcow2 on localhost is in use: running domain "web1" \(disk vda\) and running domain "web2" \(disk vdb, whose image \/w2\.qcow2 has it in its backing chain; disk vdc\) have it open\. /,
    );
  });

  it("passes when no running domain has the image open", async () => {
    const runner = new RecordingCommandRunner(RUNNING_DOMAIN);
    await expect(
      assertNotInUse(tools(runner), { label: "x", path: "/other.qcow2" }),
    ).resolves.toBeUndefined();
  });
});
