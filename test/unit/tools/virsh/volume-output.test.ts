import { describe, expect, it } from "vitest";
import { OutputParseError } from "../../../../provider/tools/parse-output.js";
import { parseDomainXml } from "../../../../provider/tools/virsh/domain-xml.js";
import { parsePoolNames, parsePoolVolumes } from "../../../../provider/tools/virsh/pool-output.js";
import { parseVolumeDisks } from "../../../../provider/tools/virsh/volume-disk-xml.js";
import { parseDomainUuids, parseVolumePath } from "../../../../provider/tools/virsh/volume-output.js";
import { fixture } from "../../../support/fixtures.js";

/** Where scripts/capture-volume-fixtures.sh made its pool, domain and images. */
const DIR = "/var/lib/libvirt/images/virtsnap-volume-fixtures";

describe("parseVolumePath", () => {
  it("reads the path real vol-path printed", () => {
    expect(parseVolumePath(fixture("virsh", "volume-path.stdout"))).toBe(`${DIR}/pool/golden.qcow2`);
  });

  it("keeps spaces and takes a network URL as it is", () => {
    expect(parseVolumePath("/images/with  spaces.qcow2\n")).toBe("/images/with  spaces.qcow2");
    expect(parseVolumePath("rbd:pool/image\n")).toBe("rbd:pool/image");
  });

  it.each([
    ["nothing", ""],
    ["two lines", "/a\n/b\n"],
  ])("fails with the raw text on %s", (_what, text) => {
    const error = (() => {
      try {
        return parseVolumePath(text);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(OutputParseError);
    expect(error).toMatchObject({ raw: text });
  });
});

describe("parsePoolNames", () => {
  it("reads every defined pool, and the active ones, as real pool-list --name printed them", () => {
    expect(parsePoolNames(fixture("virsh", "pool-list-all-names.stdout"))).toEqual([
      "virtsnap-volume-fixtures",
      "virtsnap-volume-fixtures-idle",
    ]);
    expect(parsePoolNames(fixture("virsh", "pool-list-active-names.stdout"))).toEqual([
      "virtsnap-volume-fixtures",
    ]);
  });

  it("drops the padding virsh adds to names shorter than 20 characters", () => {
    expect(parsePoolNames("default             \ngolden              \n")).toEqual(["default", "golden"]);
    expect(parsePoolNames("")).toEqual([]);
  });
});

describe("parsePoolVolumes", () => {
  it("splits real vol-list rows into name and path, also for a name with two spaces", () => {
    expect(parsePoolVolumes(fixture("virsh", "pool-vol-list.stdout"))).toEqual([
      { name: "disk.raw", path: `${DIR}/pool/disk.raw` },
      { name: "golden.qcow2", path: `${DIR}/pool/golden.qcow2` },
      { name: "with  two spaces.qcow2", path: `${DIR}/pool/with  two spaces.qcow2` },
    ]);
  });

  it("reads a single row and an empty pool", () => {
    expect(parsePoolVolumes(" a.qcow2   /p/a.qcow2\n")).toEqual([{ name: "a.qcow2", path: "/p/a.qcow2" }]);
    expect(parsePoolVolumes("")).toEqual([]);
  });

  it("fails with the raw text when no column lines up", () => {
    expect(() => parsePoolVolumes(" a /p/a\n bb /p/bb\n")).toThrow(OutputParseError);
  });
});

describe("parseDomainUuids", () => {
  it("reads the UUIDs real list --uuid printed", () => {
    const uuid = parseDomainXml(fixture("virsh", "volume-dumpxml-users.stdout")).uuid;
    expect(parseDomainUuids(fixture("virsh", "volume-list-uuids.stdout"))).toContain(uuid);
  });

  it("reads no domain from empty output, and refuses a line that is not a UUID", () => {
    expect(parseDomainUuids("\n")).toEqual([]);
    expect(() => parseDomainUuids("web1\n")).toThrow(OutputParseError);
  });
});

describe("parseVolumeDisks", () => {
  it("finds the pool and volume of a running domain's type='volume' disk, and nothing else", () => {
    const xml = fixture("virsh", "volume-dumpxml-users.stdout");
    expect(parseVolumeDisks(xml)).toEqual([
      { target: "vda", pool: "virtsnap-volume-fixtures", volume: "golden.qcow2" },
    ]);
    // libvirt 9.0 shows no file for it: the shared parser sees a disk without a source.
    expect(parseDomainXml(xml).disks).toEqual([
      expect.objectContaining({ target: "vda", type: "volume", backingChain: [] }),
      expect.objectContaining({
        target: "vdb",
        source: `${DIR}/overlay.qcow2`,
        backingChain: [`${DIR}/base.qcow2`],
      }),
      expect.objectContaining({ target: "hdc", device: "cdrom", readonly: true, backingChain: [] }),
    ]);
    expect(parseDomainXml(xml).disks[0]).not.toHaveProperty("source");
  });

  it("reads a domain without disks", () => {
    expect(parseVolumeDisks("<domain><name>x</name><uuid>u</uuid><devices/></domain>")).toEqual([]);
  });
});
