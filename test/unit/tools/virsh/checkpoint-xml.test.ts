import { describe, expect, it } from "vitest";
import { OutputParseError } from "../../../../provider/tools/parse-output.js";
import {
  buildCheckpointXml,
  disksMissingBitmap,
  parseCheckpointList,
  parseCheckpointXml,
} from "../../../../provider/tools/virsh/checkpoint-xml.js";
import { fixture } from "../../../support/fixtures.js";

describe("buildCheckpointXml", () => {
  it("writes name, description and per-disk bitmaps in libvirt's words", () => {
    const xml = buildCheckpointXml({
      name: "c1",
      description: "nightly full",
      disks: [
        { target: "vda", checkpoint: "bitmap", bitmap: "virtsnap-c1" },
        { target: "vdb", checkpoint: "no" },
      ],
    });
    expect(xml).toBe(
      [
        "<domaincheckpoint>",
        "  <name>c1</name>",
        "  <description>nightly full</description>",
        "  <disks>",
        '    <disk name="vda" checkpoint="bitmap" bitmap="virtsnap-c1"/>',
        '    <disk name="vdb" checkpoint="no"/>',
        "  </disks>",
        "</domaincheckpoint>",
        "",
      ].join("\n"),
    );
  });

  it("leaves the disks to libvirt when none are given", () => {
    expect(buildCheckpointXml({ name: "c1" })).toBe(
      "<domaincheckpoint>\n  <name>c1</name>\n</domaincheckpoint>\n",
    );
  });

  it("escapes markup in values so they cannot add elements or attributes", () => {
    const hostile = "</name><parent><name>evil</name></parent><name>&amp;";
    const xml = buildCheckpointXml({
      name: hostile,
      description: "<b>'quoted' & \"double\"</b>",
      disks: [{ target: "vda' checkpoint='no", checkpoint: "bitmap", bitmap: '"><x/>' }],
    });
    const parsed = parseCheckpointXml(
      xml.replace("</domaincheckpoint>", "<creationTime>1</creationTime></domaincheckpoint>"),
    );
    expect(parsed).toEqual({
      name: hostile,
      description: "<b>'quoted' & \"double\"</b>",
      creationTime: 1,
      disks: [{ target: "vda' checkpoint='no", checkpoint: "bitmap", bitmap: '"><x/>' }],
    });
  });
});

describe("parseCheckpointXml", () => {
  it("reads a checkpoint with the dirty bytes of each disk since it (--size)", () => {
    const info = parseCheckpointXml(fixture("virsh", "checkpoint-dumpxml-size.stdout"));
    expect(info).toMatchObject({
      name: "full1",
      description: "fixture full1",
      disks: [
        { target: "vda", checkpoint: "bitmap", bitmap: "full1", size: 3 * 1024 * 1024 },
        { target: "vdb", checkpoint: "bitmap", bitmap: "full1", size: 1024 * 1024 },
      ],
    });
    expect(info.parent).toBeUndefined();
    expect(info.creationTime).toBeGreaterThan(1_700_000_000);
    expect(disksMissingBitmap(info)).toEqual([]);
  });

  it("reads a child checkpoint with its parent and a disk left out", () => {
    const info = parseCheckpointXml(fixture("virsh", "checkpoint-dumpxml-child.stdout"));
    expect(info).toMatchObject({ name: "delta1", parent: "full1" });
    expect(info.disks).toEqual([
      { target: "vda", checkpoint: "bitmap", bitmap: "delta1", size: 0 },
      { target: "vdb", checkpoint: "no" },
    ]);
  });

  it("reads the full XML with the domain definition, ignoring the domain's disks", () => {
    const info = parseCheckpointXml(fixture("virsh", "checkpoint-dumpxml-full.stdout"));
    expect(info.name).toBe("full1");
    expect(info.disks.map((disk) => disk.target)).toEqual(["vda", "vdb"]);
    expect(info.disks.every((disk) => disk.size === undefined)).toBe(true);
  });

  it("names the disks whose bitmap was removed behind libvirt's back", () => {
    const info = parseCheckpointXml(fixture("virsh", "checkpoint-dumpxml-size-bitmap-missing.stdout"));
    expect(info.disks[0]).toEqual({ target: "vda", checkpoint: "bitmap", bitmap: "delta1" });
    expect(disksMissingBitmap(info)).toEqual(["vda"]);
  });

  it("throws an OutputParseError that keeps the raw text when the creation time is missing", () => {
    const raw = "<domaincheckpoint><name>c1</name></domaincheckpoint>";
    expect(() => parseCheckpointXml(raw)).toThrow(OutputParseError);
    expect(() => parseCheckpointXml(raw)).toThrow(/domaincheckpoint\.creationTime/);
  });
});

describe("parseCheckpointList", () => {
  it("reads names one per line, by name or parents first", () => {
    expect(parseCheckpointList(fixture("virsh", "checkpoint-list-names.stdout"))).toEqual([
      "delta1",
      "full1",
    ]);
    expect(parseCheckpointList(fixture("virsh", "checkpoint-list-topological.stdout"))).toEqual([
      "full1",
      "delta1",
    ]);
  });

  it("reads an empty list when the domain has no checkpoints", () => {
    expect(parseCheckpointList("")).toEqual([]);
  });
});
