import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../../provider/inputs/unknown.js";
import { checkBackupChain } from "../../../../provider/resources/backup-chain/check.js";
import { diffBackupChain } from "../../../../provider/resources/backup-chain/diff.js";
import { createBackupChain } from "../../../../provider/resources/backup-chain/lifecycle.js";
import { PROVIDER_VERSION } from "../../../../provider/version.js";
import { recordedTools } from "../../../support/host-tools.js";
import { RecordingCommandRunner } from "../../../support/recording-command-runner.js";

const VALID = { uri: "qemu:///system", domain: "web1", directory: "/var/backups/vms/web1" };
const DEFAULTS = {
  fullEvery: 7,
  keepChains: 2,
  verify: true,
  deleteBackupsOnDestroy: false,
  timeoutMinutes: 360,
  adopt: false,
};

describe("BackupChain check", () => {
  it("accepts minimal inputs and fills in the defaults", () => {
    expect(checkBackupChain({ ...VALID, __provider: "x" })).toEqual({
      inputs: { ...VALID, ...DEFAULTS },
      failures: [],
    });
  });

  const BAD: [string, Record<string, unknown>, string, RegExp][] = [
    ["a relative directory", { ...VALID, directory: "backups" }, "directory", /must be an absolute path/],
    ["a directory with ..", { ...VALID, directory: "/var/backups/../../etc" }, "directory", /\.\. segments/],
    [
      "a directory with command substitution",
      { ...VALID, directory: "/var/backups/$(reboot)" },
      "directory",
      /may only contain/,
    ],
    ["a directory with a space", { ...VALID, directory: "/var/my backups" }, "directory", /may only contain/],
    [
      "a directory with a newline",
      { ...VALID, directory: "/var/backups\n/x" },
      "directory",
      /control characters or newlines/,
    ],
    ["the root directory", { ...VALID, directory: "/" }, "directory", /absolute path|two levels/],
    ["a top-level directory", { ...VALID, directory: "/backups" }, "directory", /two levels deep/],
    ["a hostile domain", { ...VALID, domain: "web1;reboot" }, "domain", /not a valid domain/],
    ["an empty disk list", { ...VALID, disks: [] }, "disks", /at least one disk/],
    ["a disk named twice", { ...VALID, disks: ["vda", "vda"] }, "disks", /names a disk twice/],
    ["a disk that is not a target", { ...VALID, disks: ["../vda"] }, "disks.0", /not a disk target/],
    ["fullEvery 0", { ...VALID, fullEvery: 0 }, "fullEvery", /at least 1/],
    ["a fractional fullEvery", { ...VALID, fullEvery: 1.5 }, "fullEvery", /whole number/],
    ["keepChains -1", { ...VALID, keepChains: -1 }, "keepChains", /at least 1/],
    ["a numeric trigger", { ...VALID, trigger: 5 }, "trigger", /must be a string/],
    ["timeoutMinutes 0", { ...VALID, timeoutMinutes: 0 }, "timeoutMinutes", /at least 1/],
    ["an unknown property", { ...VALID, retention: 3 }, "retention", /not a known property/],
    // URIs are taken apart at check, so one virsh could use but qemu-img could not follow fails at preview.
    [
      "a tls URI, whose host qemu-img cannot reach",
      { ...VALID, uri: "qemu+tls://kvm1/system" },
      "uri",
      /qemu-img and file operations must reach the host of qemu\+tls:\/\/kvm1\/system/,
    ],
    [
      "an ssh URI with a key path ssh would not take literally",
      { ...VALID, uri: "qemu+ssh://root@kvm1/system?keyfile=/keys/my%20key" },
      "uri",
      /keyFile must be an absolute path without whitespace/,
    ],
    [
      "an ssh URI with a non-integer no_verify",
      { ...VALID, uri: "qemu+ssh://kvm1/system?no_verify=yes" },
      "uri",
      /no_verify=yes is not an integer/,
    ],
    [
      "a URI with two transports",
      { ...VALID, uri: "qemu+ssh+tls://kvm1/system" },
      "uri",
      /is not a libvirt URI/,
    ],
  ];

  it.each(BAD)("rejects %s, naming the property", (_what, inputs, property, reason) => {
    const { failures } = checkBackupChain(inputs);
    const failure = failures.find((candidate) => candidate.property === property);
    expect(failure?.reason, JSON.stringify(failures)).toMatch(reason);
  });

  it.each(BAD)("runs no command when create gets %s", async (_what, inputs) => {
    const runner = new RecordingCommandRunner();
    await expect(createBackupChain(recordedTools(runner), inputs)).rejects.toThrow(
      /invalid BackupChain inputs/,
    );
    expect(runner.runs).toEqual([]);
  });

  it("lets values unknown during preview through", () => {
    expect(checkBackupChain({ ...VALID, trigger: UNKNOWN, domain: UNKNOWN }).failures).toEqual([]);
  });
});

describe("BackupChain diff", () => {
  const STATE = {
    ...VALID,
    ...DEFAULTS,
    trigger: "2026-11-27",
    providerVersion: PROVIDER_VERSION,
    chains: [],
  };

  it.each([
    ["nothing changed", {}, { changes: false, replaces: [], deleteBeforeReplace: false }],
    [
      "a new trigger updates (takes the next backup)",
      { trigger: "2026-11-28" },
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
    [
      "a trigger unknown during preview updates",
      { trigger: UNKNOWN },
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
    [
      "keepChains updates in place",
      { keepChains: 3 },
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
    [
      "disks update in place",
      { disks: ["vda"] },
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
    ["adopt changes nothing", { adopt: true }, { changes: false, replaces: [], deleteBeforeReplace: false }],
    [
      "another directory replaces, creating first",
      { directory: "/srv/backups/web1" },
      { changes: true, replaces: ["directory"], deleteBeforeReplace: false },
    ],
    [
      "another domain replaces",
      { domain: "web2" },
      { changes: true, replaces: ["domain"], deleteBeforeReplace: false },
    ],
  ])("%s", (_what, change, expected) => {
    const { chains: _c, providerVersion: _p, ...inputs } = STATE;
    expect(diffBackupChain(STATE, { ...inputs, ...change })).toEqual(expected);
  });
});
