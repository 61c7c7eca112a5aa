import { describe, expect, it } from "vitest";
import {
  type Manifest,
  ManifestError,
  parseManifest,
  serializeManifest,
} from "../../../provider/backup/manifest.js";
import {
  backupFileName,
  chainOfCheckpoint,
  checkpointName,
  newChainId,
} from "../../../provider/backup/naming.js";
import { sampleManifest } from "./sample-manifest.js";

const CHAIN = "20261128T010203Z-abcdef";

describe("naming", () => {
  it("makes sortable chain ids from the time and a random suffix", () => {
    expect(newChainId(new Date("2026-11-28T01:02:03.456Z"), "abcdef")).toBe(CHAIN);
  });

  it("names checkpoints so that only ours are recognised", () => {
    expect(checkpointName(CHAIN, 3)).toBe("virtsnap.20261128T010203Z-abcdef.0003");
    expect(chainOfCheckpoint("virtsnap.20261128T010203Z-abcdef.0003")).toBe(CHAIN);
    expect(chainOfCheckpoint("virtnbdbackup.3")).toBeUndefined();
    expect(chainOfCheckpoint("virtsnap.handmade")).toBeUndefined();
    expect(chainOfCheckpoint("virtsnap.20261128T010203Z-abcdef.x")).toBeUndefined();
  });

  it("names backup files without colons or paths", () => {
    expect(backupFileName(0, "full", "vda")).toBe("0000-full-vda.qcow2");
    expect(backupFileName(12, "incremental", "sdb")).toBe("0012-inc-sdb.qcow2");
  });
});

describe("parseManifest", () => {
  it("round-trips a manifest through its serialized form", () => {
    const manifest = sampleManifest();
    expect(parseManifest(serializeManifest(manifest), "/b/manifest.json")).toEqual(manifest);
  });

  it.each([
    ["text that is not JSON", "{ not json", /is not valid JSON/],
    [
      "a newer version",
      JSON.stringify({ ...sampleManifest(), version: 2 }),
      /version 2; this virtsnap reads version 1/,
    ],
    ["another format", JSON.stringify({ ...sampleManifest(), format: "x" }), /format/],
    ["a file name with a path", JSON.stringify(withFile("../../etc/passwd")), /plain file name/],
    ["an incremental first", JSON.stringify(withLevel(0, "incremental")), /starts with its only full backup/],
    ["a second full backup", JSON.stringify(withLevel(1, "full")), /backup 1 is full/],
    [
      "a broken backing link",
      JSON.stringify(withBacking("0000-full-vdb.qcow2")),
      /vda sits on 0000-full-vdb.qcow2, expected 0000-full-vda.qcow2/,
    ],
  ])("rejects %s with a ManifestError naming the file", (_what, text, reason) => {
    expect(() => parseManifest(text, "/b/manifest.json")).toThrow(ManifestError);
    expect(() => parseManifest(text, "/b/manifest.json")).toThrow(reason);
    expect(() => parseManifest(text, "/b/manifest.json")).toThrow(
      /backup manifest \/b\/manifest.json cannot be used/,
    );
  });
});

function withFile(file: string): Manifest {
  const manifest = sampleManifest();
  (manifest.backups[0]?.disks[0] as { file: string }).file = file;
  return manifest;
}
function withLevel(index: number, level: "full" | "incremental"): Manifest {
  const manifest = sampleManifest();
  (manifest.backups[index] as { level: string }).level = level;
  return manifest;
}
function withBacking(backingFile: string): Manifest {
  const manifest = sampleManifest();
  (manifest.backups[1]?.disks[0] as { backingFile: string }).backingFile = backingFile;
  return manifest;
}
