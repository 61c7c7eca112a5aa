import { describe, expect, it } from "vitest";
import { OutputParseError } from "../../../../provider/tools/parse-output.js";
import { parseImageInfo, parseImageInfoChain } from "../../../../provider/tools/qemu-img/image-info.js";
import { CAPTURE_DIR, fixture } from "./fixtures.js";

const info = (name: string) => parseImageInfo(fixture(`${name}.stdout`));

describe("parseImageInfo", () => {
  it("reads the generic fields and the qcow2 header of a plain image", () => {
    expect(info("info-qcow2")).toEqual({
      filename: `${CAPTURE_DIR}/base.qcow2`,
      format: "qcow2",
      virtualSize: 64 * 1024 * 1024,
      actualSize: expect.any(Number),
      dirty: false,
      clusterSize: 65536,
      encrypted: false,
      snapshots: [],
      qcow2: {
        compat: "1.1",
        lazyRefcounts: false,
        corrupt: false,
        refcountBits: 16,
        compressionType: "zlib",
        extendedL2: false,
        bitmaps: [],
      },
    });
  });

  it("has no backing fields and no undefined values when the image has no backing file", () => {
    const image = info("info-qcow2");
    expect(Object.keys(image)).not.toContain("backingFilename");
    expect(Object.values(image)).not.toContain(undefined);
  });

  it("reads the backing file of an overlay", () => {
    expect(info("info-overlay")).toMatchObject({
      filename: `${CAPTURE_DIR}/top.qcow2`,
      backingFilename: `${CAPTURE_DIR}/mid.qcow2`,
      fullBackingFilename: `${CAPTURE_DIR}/mid.qcow2`,
      backingFilenameFormat: "qcow2",
    });
  });

  it("keeps a relative backing name as recorded and resolves it against the image's directory", () => {
    expect(info("info-overlay-relative")).toMatchObject({
      backingFilename: "base.qcow2",
      fullBackingFilename: `${CAPTURE_DIR}/base.qcow2`,
      backingFilenameFormat: "qcow2",
    });
  });

  it("reads bitmaps made offline with their flags and granularity", () => {
    expect(info("info-bitmaps").qcow2?.bitmaps).toEqual([
      { name: "enabled", granularity: 65536, flags: ["auto"], enabled: true, inUse: false },
      { name: "disabled", granularity: 131072, flags: [], enabled: false, inUse: false },
    ]);
  });

  it("does not show a new checkpoint's bitmap while the domain that made it still runs", () => {
    expect(info("info-running-checkpoint").qcow2?.bitmaps).toEqual([]);
  });

  it("shows libvirt's checkpoint bitmap as in use once a running QEMU has loaded it", () => {
    expect(info("info-running-bitmap-in-use").qcow2?.bitmaps).toEqual([
      { name: "cp1", granularity: 65536, flags: ["in-use", "auto"], enabled: true, inUse: true },
    ]);
  });

  it("reads internal snapshots made by qemu-img, oldest first", () => {
    const snapshots = info("info-snapshots").snapshots;
    expect(
      snapshots.map(({ id, name, vmStateSize, vmClockSec, vmClockNsec, icount }) => ({
        id,
        name,
        vmStateSize,
        vmClockSec,
        vmClockNsec,
        icount,
      })),
    ).toEqual([
      { id: "1", name: "first", vmStateSize: 0, vmClockSec: 0, vmClockNsec: 0, icount: 0 },
      { id: "2", name: "second", vmStateSize: 0, vmClockSec: 0, vmClockNsec: 0, icount: 0 },
    ]);
    for (const snapshot of snapshots) {
      expect(snapshot.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Math.floor(Date.parse(snapshot.createdAt) / 1000)).toBe(snapshot.dateSec);
      expect(Date.parse(snapshot.createdAt) % 1000).toBe(Math.floor(snapshot.dateNsec / 1_000_000));
    }
  });

  it("reads a snapshot libvirt took of a running domain, with its VM state and guest clock", () => {
    const [snapshot] = info("info-running-snapshot").snapshots;
    expect(snapshot).toMatchObject({ id: "1", name: "full" });
    expect(snapshot?.vmStateSize).toBeGreaterThan(0);
    expect((snapshot?.vmClockSec ?? 0) + (snapshot?.vmClockNsec ?? 0)).toBeGreaterThan(0);
    // QEMU records no instruction count outside record/replay, and says nothing then.
    expect(snapshot).not.toHaveProperty("icount");
  });

  it("reports the corrupt flag QEMU set in the header", () => {
    expect(info("info-corrupt").qcow2?.corrupt).toBe(true);
    expect(info("info-qcow2").qcow2?.corrupt).toBe(false);
  });

  it("reads a raw image, which has no qcow2 details, cluster size or snapshots", () => {
    expect(info("info-raw")).toEqual({
      filename: `${CAPTURE_DIR}/disk.raw`,
      format: "raw",
      virtualSize: 8 * 1024 * 1024,
      actualSize: expect.any(Number),
      dirty: false,
      encrypted: false,
      snapshots: [],
    });
  });

  it("fails with the raw text when the JSON does not have the expected shape", () => {
    const raw = '{"filename": "x", "format": "qcow2"}';
    expect(() => parseImageInfo(raw)).toThrow(OutputParseError);
    expect(() => parseImageInfo(raw)).toThrow(/virtual-size/);
    try {
      parseImageInfo(raw);
    } catch (error) {
      expect((error as OutputParseError).raw).toBe(raw);
    }
  });

  it("fails on qcow2 format-specific data it cannot read rather than ignoring it", () => {
    const raw = JSON.stringify({
      filename: "x",
      format: "qcow2",
      "virtual-size": 1,
      "format-specific": { type: "qcow2", data: { compat: 1.1 } },
    });
    expect(() => parseImageInfo(raw)).toThrow(OutputParseError);
  });

  it("accepts format-specific data of other formats without reading it", () => {
    const raw = JSON.stringify({
      filename: "x.vmdk",
      format: "vmdk",
      "virtual-size": 1,
      "format-specific": { type: "vmdk", data: { "create-type": "monolithicSparse" } },
    });
    expect(parseImageInfo(raw)).not.toHaveProperty("qcow2");
  });

  it("fails on output that is not JSON", () => {
    expect(() => parseImageInfo("image: x\nfile format: qcow2\n")).toThrow(OutputParseError);
  });
});

describe("parseImageInfoChain", () => {
  it("lists the image first and each backing file down to the base", () => {
    const chain = parseImageInfoChain(fixture("info-backing-chain.stdout"));
    expect(chain.map((image) => [image.filename, image.backingFilename])).toEqual([
      [`${CAPTURE_DIR}/top.qcow2`, `${CAPTURE_DIR}/mid.qcow2`],
      [`${CAPTURE_DIR}/mid.qcow2`, `${CAPTURE_DIR}/base.qcow2`],
      [`${CAPTURE_DIR}/base.qcow2`, undefined],
    ]);
  });

  it("refuses a single object where the chain's array belongs", () => {
    expect(() => parseImageInfoChain(fixture("info-qcow2.stdout"))).toThrow(OutputParseError);
  });
});
