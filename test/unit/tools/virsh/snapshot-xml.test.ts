import { describe, expect, it } from "vitest";
import {
  buildSnapshotXml,
  parseSnapshotXml,
  withDescription,
} from "../../../../provider/tools/virsh/snapshot-xml.js";
import { fixture } from "../../../support/fixtures.js";

describe("buildSnapshotXml", () => {
  it("writes name, description, memory and per-disk modes in libvirt's words", () => {
    const xml = buildSnapshotXml({
      name: "s1",
      description: "before upgrade",
      memory: { mode: "none" },
      disks: [
        { target: "vda", mode: "external", file: "/var/lib/libvirt/images/vda.s1" },
        { target: "vdb", mode: "exclude" },
      ],
    });
    expect(xml).toBe(
      [
        "<domainsnapshot>",
        "  <name>s1</name>",
        "  <description>before upgrade</description>",
        '  <memory snapshot="no"/>',
        "  <disks>",
        '    <disk name="vda" snapshot="external">',
        '      <source file="/var/lib/libvirt/images/vda.s1"/>',
        "    </disk>",
        '    <disk name="vdb" snapshot="no"/>',
        "  </disks>",
        "</domainsnapshot>",
        "",
      ].join("\n"),
    );
  });

  it("leaves memory and disks to libvirt when they are not given", () => {
    expect(buildSnapshotXml({ name: "s1" })).toBe("<domainsnapshot>\n  <name>s1</name>\n</domainsnapshot>\n");
  });

  it("escapes markup in values so they cannot add elements", () => {
    const hostile = "</description><memory snapshot='internal'/><description>&amp;";
    const xml = buildSnapshotXml({
      name: "s",
      description: hostile,
      memory: { mode: "external", file: "/a'\"<b>" },
    });
    expect(xml).not.toContain("<memory snapshot='internal'/>");
    const parsed = parseSnapshotXml(
      xml.replace(
        "</domainsnapshot>",
        "<state>running</state><creationTime>1</creationTime></domainsnapshot>",
      ),
    );
    expect(parsed.description).toBe(hostile);
    expect(parsed.memory).toEqual({ mode: "external", file: "/a'\"<b>" });
  });
});

describe("parseSnapshotXml", () => {
  it("reads an internal snapshot with memory of a running domain", () => {
    const info = parseSnapshotXml(fixture("virsh", "snapshot-dumpxml-internal-running.stdout"));
    expect(info).toMatchObject({
      name: "full1",
      description: "with memory",
      state: "running",
      memory: { mode: "internal" },
      disks: [
        { target: "vda", mode: "internal" },
        { target: "vdb", mode: "internal" },
      ],
    });
    expect(info.creationTime).toBeGreaterThan(1_700_000_000);
    expect(info.parent).toBeUndefined();
    expect(info.domainUuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reads an external disk-only snapshot with its overlay file and parent", () => {
    const info = parseSnapshotXml(fixture("virsh", "snapshot-dumpxml-external.stdout"));
    expect(info.state).toBe("disk-snapshot");
    expect(info.parent).toBe("full1");
    expect(info.memory).toEqual({ mode: "none" });
    expect(info.disks[0]).toMatchObject({ target: "vda", mode: "external" });
    expect(info.disks[0]?.file).toMatch(/\/vda\.ext1$/);
    expect(info.disks[1]).toEqual({ target: "vdb", mode: "exclude" });
  });

  it("reads a snapshot of a shut-off domain", () => {
    const info = parseSnapshotXml(fixture("virsh", "snapshot-dumpxml-internal-shutoff.stdout"));
    expect(info).toMatchObject({ name: "off1", state: "shutoff", description: "taken while off" });
  });
});

describe("withDescription", () => {
  it("replaces only the description and keeps the rest of the XML", () => {
    const original = fixture("virsh", "snapshot-dumpxml-internal-running.stdout");
    const changed = withDescription(original, "new <text> & more");
    const before = parseSnapshotXml(original);
    const after = parseSnapshotXml(changed);
    expect(after).toEqual({ ...before, description: "new <text> & more" });
    // The embedded domain definition must survive the round trip untouched in order.
    const devices = (xml: string) =>
      [...xml.matchAll(/<(disk|controller|serial|console|input|memballoon) /g)].map((m) => m[1]);
    expect(devices(changed)).toEqual(devices(original));
  });

  it("adds a description where there was none and removes it when asked", () => {
    const original = fixture("virsh", "snapshot-dumpxml-external.stdout");
    expect(parseSnapshotXml(withDescription(original, "added")).description).toBe("added");
    const removed = withDescription(fixture("virsh", "snapshot-dumpxml-internal-running.stdout"), undefined);
    expect(parseSnapshotXml(removed).description).toBeUndefined();
  });
});
