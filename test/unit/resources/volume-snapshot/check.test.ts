import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../../provider/inputs/unknown.js";
import { checkVolumeSnapshot } from "../../../../provider/resources/volume-snapshot/check.js";
import { createVolumeSnapshot } from "../../../../provider/resources/volume-snapshot/lifecycle.js";
import { recordedTools } from "../../../support/host-tools.js";
import { RecordingCommandRunner } from "../../../support/recording-command-runner.js";

const BY_PATH = {
  uri: "qemu:///system",
  volume: { path: "/var/lib/libvirt/images/golden.qcow2" },
  name: "pre",
};
const BY_POOL = { uri: "qemu:///system", volume: { pool: "golden", name: "debian-12.qcow2" }, name: "pre" };

describe("VolumeSnapshot check", () => {
  it.each([
    ["a path", BY_PATH],
    ["a pool volume", BY_POOL],
  ])("accepts %s and fills in the defaults", (_what, inputs) => {
    expect(checkVolumeSnapshot({ ...inputs, __provider: "serialized" })).toEqual({
      inputs: { ...inputs, adopt: false },
      failures: [],
    });
  });

  // Each malformed input must fail on the named property, and creating with it must run nothing.
  const BAD: [string, Record<string, unknown>, string, RegExp][] = [
    [
      "a missing volume",
      { uri: BY_PATH.uri, name: "s" },
      "volume",
      /must be \{ path: .* \} or \{ pool: .* \}/,
    ],
    ["a volume as a bare string", { ...BY_PATH, volume: "/x.qcow2" }, "volume", /must be \{ path/],
    ["an empty volume", { ...BY_PATH, volume: {} }, "volume", /must be \{ path/],
    ["a relative path", { ...BY_PATH, volume: { path: "images/golden.qcow2" } }, "volume.path", /absolute/],
    ["a path of .", { ...BY_PATH, volume: { path: "./golden.qcow2" } }, "volume.path", /absolute/],
    ["a path with ..", { ...BY_PATH, volume: { path: "/var/lib/../../etc/shadow" } }, "volume.path", /\.\./],
    ["a path with a newline", { ...BY_PATH, volume: { path: "/var/x\n.qcow2" } }, "volume.path", /newlines/],
    ["a path with a NUL", { ...BY_PATH, volume: { path: "/var/x\u0000.qcow2" } }, "volume.path", /control/],
    ["a path with //", { ...BY_PATH, volume: { path: "/var//x.qcow2" } }, "volume.path", /normalized/],
    ["a path ending in /", { ...BY_PATH, volume: { path: "/var/x/" } }, "volume.path", /normalized/],
    ["the root directory", { ...BY_PATH, volume: { path: "/" } }, "volume.path", /absolute path on the host/],
    ["a numeric path", { ...BY_PATH, volume: { path: 7 } }, "volume", /must be \{ path/],
    [
      "a path and a pool",
      { ...BY_PATH, volume: { path: "/x.qcow2", pool: "p" } },
      "volume.pool",
      /not a known/,
    ],
    ["a pool without a name", { ...BY_POOL, volume: { pool: "golden" } }, "volume", /must be \{ path/],
    [
      "a pool with shell syntax",
      { ...BY_POOL, volume: { pool: "$(reboot)", name: "g" } },
      "volume.pool",
      /not a valid storage pool name/,
    ],
    [
      "a pool with a slash",
      { ...BY_POOL, volume: { pool: "a/b", name: "g" } },
      "volume.pool",
      /not a valid storage pool name/,
    ],
    [
      "a pool that is an option",
      { ...BY_POOL, volume: { pool: "--all", name: "g" } },
      "volume.pool",
      /not a valid storage pool name/,
    ],
    ["an empty pool", { ...BY_POOL, volume: { pool: "", name: "g" } }, "volume.pool", /must not be empty/],
    [
      "a volume name that is a path",
      { ...BY_POOL, volume: { pool: "p", name: "../etc/shadow" } },
      "volume.name",
      /not a valid volume name/,
    ],
    [
      "a volume name with a newline",
      { ...BY_POOL, volume: { pool: "p", name: "a\nb" } },
      "volume.name",
      /not a valid volume name/,
    ],
    [
      "a volume name with a space",
      { ...BY_POOL, volume: { pool: "p", name: "a b" } },
      "volume.name",
      /not a valid volume name/,
    ],
    [
      "a 200-character volume name",
      { ...BY_POOL, volume: { pool: "p", name: "v".repeat(200) } },
      "volume.name",
      /too long/,
    ],
    [
      "an unknown volume key",
      { ...BY_POOL, volume: { pool: "p", name: "v", format: "qcow2" } },
      "volume.format",
      /not a known/,
    ],
    [
      "a snapshot name that is an option",
      { ...BY_PATH, name: "--delete" },
      "name",
      /not a valid snapshot name/,
    ],
    [
      "a snapshot name with a space",
      { ...BY_PATH, name: "before upgrade" },
      "name",
      /not a valid snapshot name/,
    ],
    ["a snapshot name with backticks", { ...BY_PATH, name: "`id`" }, "name", /not a valid snapshot name/],
    ["an empty snapshot name", { ...BY_PATH, name: "" }, "name", /must not be empty/],
    ["a uri with shell syntax", { ...BY_PATH, uri: "qemu:///system;reboot" }, "uri", /not a libvirt URI/],
    ["a string for adopt", { ...BY_PATH, adopt: "yes" }, "adopt", /true or false/],
    ["an unknown property", { ...BY_PATH, pool: "golden" }, "pool", /not a known property/],
  ];

  it.each(BAD)("rejects %s, naming the property", (_what, inputs, property, reason) => {
    const { failures } = checkVolumeSnapshot(inputs);
    expect(failures.map((failure) => failure.property)).toContain(property);
    expect(failures.find((failure) => failure.property === property)?.reason).toMatch(reason);
  });

  it.each(BAD)("runs no command when create gets %s", async (_what, inputs, property) => {
    const runner = new RecordingCommandRunner();
    await expect(createVolumeSnapshot(recordedTools(runner), inputs)).rejects.toThrow(
      `invalid VolumeSnapshot inputs: ${property}`,
    );
    expect(runner.runs).toEqual([]);
  });

  it("accepts values that are unknown during preview and checks the rest", () => {
    expect(checkVolumeSnapshot({ ...BY_PATH, volume: UNKNOWN, name: "bad name" }).failures).toEqual([
      { property: "name", reason: expect.stringMatching(/not a valid snapshot name/) },
    ]);
    const news = { ...BY_POOL, volume: { pool: "golden", name: UNKNOWN } };
    expect(checkVolumeSnapshot(news).failures).toEqual([]);
    expect(checkVolumeSnapshot({ ...BY_PATH, volume: { path: UNKNOWN } }).failures).toEqual([]);
  });
});
