import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../../provider/inputs/unknown.js";
import { checkDomainSnapshot } from "../../../../provider/resources/domain-snapshot/check.js";
import { createDomainSnapshot } from "../../../../provider/resources/domain-snapshot/lifecycle.js";
import { recordedTools } from "../../../support/host-tools.js";
import { RecordingCommandRunner } from "../../../support/recording-command-runner.js";

const VALID = { uri: "qemu:///system", domain: "web1", name: "before-upgrade" };

describe("DomainSnapshot check", () => {
  it("accepts minimal inputs and fills in the defaults", () => {
    expect(checkDomainSnapshot({ ...VALID, __provider: "serialized" })).toEqual({
      inputs: { ...VALID, quiesce: false, atomic: true, live: false, onDelete: "delete", adopt: false },
      failures: [],
    });
  });

  it.each(["qemu+tls://kvm1/system", "qemu+ssh://root@kvm1:2222/system?keyfile=/k", "qemu:///session"])(
    "accepts %s: a domain snapshot needs only virsh, which reaches any libvirt URI",
    (uri) => {
      expect(checkDomainSnapshot({ ...VALID, uri }).failures).toEqual([]);
    },
  );

  it("accepts every option used together correctly", () => {
    const inputs = {
      ...VALID,
      description: "multi\nline, with <markup> & 'quotes'",
      disks: { vda: { mode: "external", file: "/var/lib/libvirt/images/vda.pre" }, vdb: { mode: "exclude" } },
      memory: "none",
      quiesce: true,
      atomic: false,
      onDelete: "metadata-only",
      adopt: true,
    };
    expect(checkDomainSnapshot(inputs).failures).toEqual([]);
  });

  // Each malformed input must fail on the named property, and creating with it must run nothing.
  const BAD: [string, Record<string, unknown>, string, RegExp][] = [
    ["a missing domain", { uri: VALID.uri, name: "s" }, "domain", /must be a string/],
    ["a numeric domain", { ...VALID, domain: 42 }, "domain", /must be a string/],
    ["an empty domain", { ...VALID, domain: "" }, "domain", /must not be empty/],
    ["a domain with shell syntax", { ...VALID, domain: "a;rm -rf /" }, "domain", /not a valid domain/],
    ["a domain with command substitution", { ...VALID, domain: "$(x)" }, "domain", /not a valid domain/],
    ["a domain that is a path", { ...VALID, domain: "../x" }, "domain", /not a valid domain/],
    ["a domain that is markup", { ...VALID, domain: "<x>" }, "domain", /not a valid domain/],
    ["a domain that is an option", { ...VALID, domain: "--help" }, "domain", /not a valid domain/],
    ["a domain with a newline", { ...VALID, domain: "web1\nweb2" }, "domain", /not a valid domain/],
    ["a name with a space", { ...VALID, name: "before upgrade" }, "name", /not a valid snapshot name/],
    ["a name with a slash", { ...VALID, name: "a/b" }, "name", /not a valid snapshot name/],
    ["a name starting with a dot", { ...VALID, name: ".hidden" }, "name", /not a valid snapshot name/],
    ["a name with backticks", { ...VALID, name: "`id`" }, "name", /not a valid snapshot name/],
    ["a name that is an option", { ...VALID, name: "--metadata" }, "name", /not a valid snapshot name/],
    ["a 200-character name", { ...VALID, name: "a".repeat(200) }, "name", /too long/],
    ["a uri that is not a URI", { ...VALID, uri: "system" }, "uri", /not a libvirt URI/],
    ["a uri with shell syntax", { ...VALID, uri: "qemu:///system;reboot" }, "uri", /not a libvirt URI/],
    [
      "a uri with an unknown transport",
      { ...VALID, uri: "qemu+foo://h/system" },
      "uri",
      /unknown transport 'foo'/,
    ],
    [
      "a uri with a bad percent-escape",
      { ...VALID, uri: "qemu+ssh://h%zz/system" },
      "uri",
      /bad percent-escape/,
    ],
    [
      "a description with control characters",
      { ...VALID, description: "a\u0000b" },
      "description",
      /control/,
    ],
    ["a numeric description", { ...VALID, description: 5 }, "description", /must be a string/],
    [
      "an unknown disk mode",
      { ...VALID, disks: { vda: { mode: "snapshot" } } },
      "disks.vda.mode",
      /must be \{ mode/,
    ],
    [
      "a disk mode as a bare string",
      { ...VALID, disks: { vda: "internal" } },
      "disks.vda",
      /must be \{ mode/,
    ],
    [
      "a disk target that is not a device name",
      { ...VALID, disks: { "../vda": { mode: "internal" } } },
      "disks.../vda",
      /not a disk target/,
    ],
    [
      "a file on an internal disk",
      { ...VALID, disks: { vda: { mode: "internal", file: "/x" } } },
      "disks.vda.file",
      /not a known property/,
    ],
    [
      "a relative overlay file",
      { ...VALID, disks: { vda: { mode: "external", file: "vda.ovl" } } },
      "disks.vda.file",
      /absolute/,
    ],
    [
      "an overlay file with ..",
      { ...VALID, disks: { vda: { mode: "external", file: "/var/../etc/x" } } },
      "disks.vda.file",
      /\.\./,
    ],
    [
      "mixed internal and external disks",
      { ...VALID, disks: { vda: { mode: "internal" }, vdb: { mode: "external" } } },
      "disks",
      /mixes/,
    ],
    [
      "external disks with internal memory",
      { ...VALID, memory: "internal", disks: { vda: { mode: "external" } } },
      "disks",
      /needs internal/,
    ],
    ["an unknown memory mode", { ...VALID, memory: "ram" }, "memory", /'none', 'internal' or 'external'/],
    [
      "a memory file without external memory",
      { ...VALID, memory: "internal", memoryFile: "/var/lib/x.mem" },
      "memoryFile",
      /only used with memory: 'external'/,
    ],
    ["external memory without a file", { ...VALID, memory: "external" }, "memoryFile", /is required/],
    ["live without external memory", { ...VALID, live: true }, "live", /only applies/],
    ["quiesce with memory", { ...VALID, memory: "internal", quiesce: true }, "quiesce", /disk-only/],
    ["a string for atomic", { ...VALID, atomic: "yes" }, "atomic", /true or false/],
    ["an unknown onDelete", { ...VALID, onDelete: "keep" }, "onDelete", /'delete' or 'metadata-only'/],
    ["an unknown property", { ...VALID, snapshotName: "x" }, "snapshotName", /not a known property/],
  ];

  it.each(BAD)("rejects %s, naming the property", (_what, inputs, property, reason) => {
    const { failures } = checkDomainSnapshot(inputs);
    expect(failures.map((failure) => failure.property)).toContain(property);
    const failure = failures.find((candidate) => candidate.property === property);
    expect(failure?.reason).toMatch(reason);
  });

  it.each(BAD)("runs no command when create gets %s", async (_what, inputs, property) => {
    const runner = new RecordingCommandRunner();
    await expect(createDomainSnapshot(recordedTools(runner), inputs)).rejects.toThrow(property);
    expect(runner.runs).toEqual([]);
  });

  it("has at least 25 malformed inputs", () => {
    expect(BAD.length).toBeGreaterThanOrEqual(25);
  });

  it("accepts values that are unknown during preview and checks the rest", () => {
    const { failures, inputs } = checkDomainSnapshot({
      ...VALID,
      domain: UNKNOWN,
      disks: UNKNOWN,
      name: "bad name",
    });
    expect(failures.map((failure) => failure.property)).toEqual(["name"]);
    expect(inputs).toMatchObject({ domain: UNKNOWN, disks: UNKNOWN });
  });

  it("passes inputs through unchanged while only unknown values stand in the way", () => {
    const news = { ...VALID, domain: UNKNOWN, memory: UNKNOWN };
    expect(checkDomainSnapshot(news)).toEqual({ inputs: news, failures: [] });
  });
});
