import { describe, expect, it } from "vitest";
import { OutputParseError } from "../../../../provider/tools/parse-output.js";
import { parseDomainXml } from "../../../../provider/tools/virsh/domain-xml.js";
import { fixture } from "../../../support/fixtures.js";

describe("parseDomainXml", () => {
  it("reads name, uuid, running state and disks of a running domain", () => {
    const domain = parseDomainXml(fixture("virsh", "domain-dumpxml-running.stdout"));
    expect(domain.name).toMatch(/^virtsnap-fixtures$/);
    expect(domain.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(domain.active).toBe(true);
    expect(domain.disks.map((disk) => [disk.target, disk.format, disk.device, disk.type])).toEqual([
      ["vda", "qcow2", "disk", "file"],
      ["vdb", "qcow2", "disk", "file"],
    ]);
    expect(domain.disks[0]?.source).toMatch(/\/vda\.qcow2$/);
    expect(domain.disks[0]?.backingChain).toEqual([]);
  });

  it("reports a shut-off domain as not active", () => {
    expect(parseDomainXml(fixture("virsh", "domain-dumpxml-shutoff.stdout")).active).toBe(false);
  });

  it("follows the backing chain of a disk on an external snapshot overlay", () => {
    const [vda, vdb] = parseDomainXml(fixture("virsh", "domain-dumpxml-backing-chain.stdout")).disks;
    expect(vda?.source).toMatch(/\/vda\.ext1$/);
    expect(vda?.backingChain).toHaveLength(1);
    expect(vda?.backingChain[0]).toMatch(/\/vda\.qcow2$/);
    expect(vdb?.backingChain).toEqual([]);
  });

  it("parses a single disk as a list, and read-only and empty cdrom disks", () => {
    const domain = parseDomainXml(`<domain type='qemu'><name>d</name><uuid>u</uuid><devices>
      <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='sda' bus='sata'/><readonly/></disk>
    </devices></domain>`);
    expect(domain.disks).toEqual([
      { target: "sda", device: "cdrom", type: "file", format: "raw", readonly: true, backingChain: [] },
    ]);
  });

  it("throws an OutputParseError that keeps the raw text when the XML lacks a uuid", () => {
    const raw = "<domain><name>d</name></domain>";
    const error = (() => {
      try {
        parseDomainXml(raw);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(OutputParseError);
    expect(error).toMatchObject({ raw, source: "virsh dumpxml" });
    expect((error as Error).message).toMatch(/domain\.uuid/);
  });
});
