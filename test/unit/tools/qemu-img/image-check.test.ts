import { describe, expect, it } from "vitest";
import { OutputParseError } from "../../../../provider/tools/parse-output.js";
import { parseImageCheck } from "../../../../provider/tools/qemu-img/image-check.js";
import { CAPTURE_DIR, exitCode, fixture } from "./fixtures.js";

describe("parseImageCheck", () => {
  it("reports a clean image", () => {
    expect(parseImageCheck(fixture("check-clean.stdout"))).toEqual({
      filename: `${CAPTURE_DIR}/data.qcow2`,
      format: "qcow2",
      checkErrors: 0,
      corruptions: 0,
      leaks: 0,
      clean: true,
      imageEndOffset: expect.any(Number),
      totalClusters: 1024,
      allocatedClusters: 64,
      fragmentedClusters: 0,
      compressedClusters: 0,
    });
  });

  it("counts leaked clusters, which qemu-img reports with exit code 3", () => {
    expect(exitCode("check-leaks")).toBe(3);
    expect(parseImageCheck(fixture("check-leaks.stdout"))).toMatchObject({
      leaks: 1,
      corruptions: 0,
      clean: false,
    });
  });

  it("counts corruptions, which qemu-img reports with exit code 2", () => {
    expect(exitCode("check-corrupt")).toBe(2);
    expect(parseImageCheck(fixture("check-corrupt.stdout"))).toMatchObject({
      corruptions: 2,
      leaks: 0,
      clean: false,
    });
  });

  it("has no cluster statistics for a format without clusters", () => {
    const raw = JSON.stringify({ filename: "x", format: "vdi", "check-errors": 0 });
    expect(parseImageCheck(raw)).toEqual({
      filename: "x",
      format: "vdi",
      checkErrors: 0,
      corruptions: 0,
      leaks: 0,
      clean: true,
    });
  });

  it("fails with the raw text on output of another shape", () => {
    expect(() => parseImageCheck('{"filename": "x"}')).toThrow(OutputParseError);
  });
});
