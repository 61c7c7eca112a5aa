import { describe, expect, it } from "vitest";
import { parseVolumeTarget } from "../../../provider/cli/volume-target.js";
import { runVirtsnap } from "../../support/cli-io.js";
import { RecordingCommandRunner, type ScriptedRule } from "../../support/recording-command-runner.js";
import {
  DOMAIN,
  fixture,
  qemuImg,
  REGULAR_FILE_STAT,
  RUNNING_DOMAIN,
  realpath,
  virshRun,
} from "../volumes/volume-host-script.js";

/** Runs `virtsnap ARGS` with every command answered by `runner`; returns what it printed. */
const virtsnap = (runner: RecordingCommandRunner, ...args: string[]) => runVirtsnap(runner, args);

describe("parseVolumeTarget", () => {
  it.each([
    ["an absolute path", "/var/lib/libvirt/images/g.qcow2", { path: "/var/lib/libvirt/images/g.qcow2" }],
    ["an absolute path, normalized", "/var//lib/./x.qcow2", { path: "/var/lib/x.qcow2" }],
    ["a path relative to here", "./g.qcow2", { path: `${process.cwd()}/g.qcow2` }],
    ["a pool volume", "golden/debian-12.qcow2", { pool: "golden", name: "debian-12.qcow2" }],
  ])("reads %s", (_what, text, expected) => {
    expect(parseVolumeTarget(text, "volume")).toEqual(expected);
  });

  it.each([
    ["a bare name", "g.qcow2", /give an image path .* or a storage pool volume as POOL\/VOLUME/],
    ["three parts", "a/b/c", /give an image path/],
    ["a NUL in a path", "/x\u0000y.qcow2", /path contains control characters/],
    ["an empty volume name", "golden/", /name must not be empty/],
    ["an option as volume", "golden/--all", /name is not a valid volume name/],
    ["shell syntax as pool", "$(reboot)/g.qcow2", /pool is not a valid storage pool name/],
    ["a newline in a path", "/var/x\ny.qcow2", /path contains control characters or newlines/],
  ])("refuses %s as a usage error", (_what, text, reason) => {
    expect(() => parseVolumeTarget(text, "volume")).toThrow(reason);
  });
});

describe("virtsnap volume", () => {
  it.each([
    [["volume"], /volume needs a subcommand: list or revert/],
    [["volume", "rm", "/x.qcow2"], /unknown volume subcommand 'rm': use list or revert/],
    [["volume", "list"], /volume list takes one volume, got 0 arguments/],
    [["volume", "revert", "/x.qcow2"], /volume revert takes a volume and a snapshot, got 1 arguments/],
    [["volume", "list", "/x.qcow2", "--force"], /Unknown option '--force'/],
  ])("answers %j with its usage, exit code 2, and runs nothing", async (args, reason) => {
    const runner = new RecordingCommandRunner();
    const result = await virtsnap(runner, ...args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).toMatch(/Usage: virtsnap volume list <path\|pool\/volume>/);
    expect(runner.runs).toEqual([]);
  });

  it("prints its help with --help", async () => {
    const result = await virtsnap(new RecordingCommandRunner(), "volume", "--help");
    expect(result).toMatchObject({ exitCode: 0 });
    expect(result.stdout).toMatch(/virtsnap volume revert <path\|pool\/volume> <snapshot> --yes/);
  });

  /** base.qcow2 as a qcow2 image holding snapshots "first" and "second". */
  const IMAGE: ScriptedRule[] = [
    realpath(true, [DOMAIN.base]),
    { match: (argv) => argv[0] === "stat", answer: { stdout: REGULAR_FILE_STAT } },
    {
      match: qemuImg("info", { shared: true }),
      answer: { stdout: fixture("qemu-img", "info-snapshots.stdout") },
    },
  ];
  const reverts = (runner: RecordingCommandRunner) =>
    runner.runs.filter((run) => run.argv[0] === "qemu-img" && run.argv[1] === "snapshot");

  it("refuses to revert without --yes, saying what would be lost, and writes nothing", async () => {
    const runner = new RecordingCommandRunner([
      ...IMAGE,
      { match: virshRun("list"), answer: { stdout: "" } },
    ]);
    const result = await virtsnap(runner, "volume", "revert", DOMAIN.base, "first");
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^virtsnap volume: reverting ${DOMAIN.base} to snapshot 'first' \\(id 1, taken 2026-11-28T01:36:26Z\\) discards everything written to the image since that snapshot was taken\\. Nothing was changed; run again with --yes to revert\\.`,
      ),
    );
    expect(reverts(runner)).toEqual([]);
  });

  it("refuses to revert an image a running domain uses, naming it, even with --yes", async () => {
    const runner = new RecordingCommandRunner([...IMAGE, ...RUNNING_DOMAIN]);
    const result = await virtsnap(runner, "volume", "revert", DOMAIN.base, "second", "--yes");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `is in use: running domain "${DOMAIN.name}" \\(disk vdb, whose image ${DOMAIN.overlay} has it in its backing chain\\)`,
      ),
    );
    expect(reverts(runner)).toEqual([]);
  });

  it("reverts with --yes once no domain uses the image", async () => {
    const runner = new RecordingCommandRunner([
      ...IMAGE,
      { match: virshRun("list"), answer: { stdout: "" } },
      {
        match: qemuImg("info", { shared: false }),
        answer: { stdout: fixture("qemu-img", "info-snapshots.stdout") },
      },
      { match: qemuImg("snapshot"), answer: {} },
    ]);
    const result = await virtsnap(runner, "volume", "revert", DOMAIN.base, "2", "--yes");
    expect(result).toMatchObject({ exitCode: 0, stderr: "" });
    expect(result.stdout).toBe(
      `reverted ${DOMAIN.base} to snapshot 'second' (id 2, taken 2026-11-28T01:36:26Z)\n`,
    );
    expect(reverts(runner).map((run) => run.argv)).toEqual([
      ["qemu-img", "snapshot", "-a", "second", DOMAIN.base],
    ]);
  });
});
