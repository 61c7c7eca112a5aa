import { describe, expect, it } from "vitest";
import { CommandError } from "../../../../provider/host/errors.js";
import {
  BackingFileNotFoundError,
  CorruptImageError,
  classifyQemuImgError,
  ImageHasBitmapsError,
  ImageLockedError,
  ImageNotFoundError,
  ImageSnapshotNotFoundError,
  NoSpaceError,
  NotQcow2Error,
  type QemuImgError,
  UnsupportedFormatError,
} from "../../../../provider/tools/qemu-img/errors.js";
import { CAPTURE_DIR, failureFrom } from "./fixtures.js";

const IMAGE = `${CAPTURE_DIR}/image.qcow2`;

function classify(name: string, argv: readonly string[] = ["qemu-img", IMAGE]): QemuImgError {
  const original = failureFrom(name, argv);
  const classified = classifyQemuImgError(original);
  if (classified === original) throw new Error(`${name} was not classified`);
  return classified as QemuImgError;
}

describe("classifyQemuImgError", () => {
  it.each([
    ["info-locked", ImageLockedError],
    ["snapshot-create-locked", ImageLockedError],
    ["rebase-locked", ImageLockedError],
    ["compare-locked", ImageLockedError],
    ["info-not-found", ImageNotFoundError],
    ["compare-not-found", ImageNotFoundError],
    ["info-backing-chain-missing", ImageNotFoundError],
    ["convert-backing-missing", BackingFileNotFoundError],
    ["snapshot-delete-missing", ImageSnapshotNotFoundError],
    ["snapshot-apply-missing", ImageSnapshotNotFoundError],
    ["snapshot-apply-bitmaps", ImageHasBitmapsError],
    ["snapshot-apply-checkpoint-bitmap", ImageHasBitmapsError],
    ["info-not-qcow2", NotQcow2Error],
    ["snapshot-create-raw", UnsupportedFormatError],
    ["snapshot-apply-raw", UnsupportedFormatError],
    ["check-raw", UnsupportedFormatError],
    ["convert-no-space", NoSpaceError],
    ["convert-corrupt", CorruptImageError],
    ["snapshot-create-corrupt", CorruptImageError],
  ])("classifies real qemu-img 7.2 stderr %s as %s", (name, errorClass) => {
    const original = failureFrom(name, ["qemu-img", IMAGE]);
    const classified = classifyQemuImgError(original);
    expect(classified).toBeInstanceOf(errorClass);
    // The run's facts survive classification.
    expect(classified).toMatchObject({
      argv: ["qemu-img", IMAGE],
      exitCode: original.exitCode,
      stderr: original.stderr,
      host: "localhost",
    });
    expect((classified as Error).cause).toBe(original);
    expect((classified as Error).message).toContain("localhost");
  });

  it("names the locked file and says a running domain probably has it open", () => {
    const error = classify("info-locked");
    expect(error.path).toBe(`${CAPTURE_DIR}/vda.qcow2`);
    expect(error.reason).toBe(`Could not open '${CAPTURE_DIR}/vda.qcow2': Failed to get shared "write" lock`);
    expect(error.message).toMatch(/running domain/);
    expect(error.message).toMatch(/-U/);
  });

  it("names the missing file, not qemu's nested message", () => {
    expect(classify("info-not-found").path).toBe(`${CAPTURE_DIR}/no-such.qcow2`);
  });

  it("names the missing backing file and the image that refers to it", () => {
    const error = classify("convert-backing-missing") as BackingFileNotFoundError;
    expect(error.path).toBe(`${CAPTURE_DIR}/gone.qcow2`);
    expect(error.image).toBe(`${CAPTURE_DIR}/orphan.qcow2`);
    expect(error.message).toMatch(/qemu-img rebase -u/);
  });

  it("names the missing backing file deepest in a chain", () => {
    const stderr =
      "qemu-img: Could not open '/i/top.qcow2': Could not open backing file: Could not open '/i/mid.qcow2': " +
      "Could not open backing file: Could not open '/i/gone.qcow2': No such file or directory\n";
    const failure = { argv: ["qemu-img", "/i/top.qcow2"], exitCode: 1, stdout: "", stderr, host: "h" };
    const error = classifyQemuImgError(new CommandError("x", failure)) as BackingFileNotFoundError;
    expect(error).toBeInstanceOf(BackingFileNotFoundError);
    expect([error.image, error.path]).toEqual(["/i/mid.qcow2", "/i/gone.qcow2"]);
  });

  it("names the snapshot that does not exist, for delete and apply", () => {
    expect(classify("snapshot-delete-missing")).toMatchObject({ snapshot: "no-such-snapshot", path: IMAGE });
    expect(classify("snapshot-apply-missing")).toMatchObject({ snapshot: "no-such-snapshot", path: IMAGE });
  });

  it("does not mistake a missing snapshot's 'No such file or directory' for a missing image", () => {
    expect(classify("snapshot-apply-missing")).not.toBeInstanceOf(ImageNotFoundError);
  });

  it("explains that QEMU 7.2 does not revert images with bitmaps and what to do", () => {
    const error = classify("snapshot-apply-checkpoint-bitmap");
    expect(error).toMatchObject({ snapshot: "full" });
    expect(error.message).toMatch(/checkpoint-delete/);
  });

  it("takes qemu's reason from the line that matched, past the format-probing warning", () => {
    expect(classify("snapshot-create-raw").reason).toBe(
      "Could not create snapshot 's': -95 (Operation not supported)",
    );
    expect(classify("convert-corrupt").reason).toMatch(/^qcow2: Image is corrupt: L2 table offset/);
  });

  it("blames the output file for a full disk", () => {
    const error = classify("convert-no-space", ["qemu-img", "convert", "/src.qcow2", "/full/out.qcow2"]);
    expect(error.path).toBe("/full/out.qcow2");
    expect(error.reason).toBe("error while writing at byte 0: No space left on device");
  });

  it("leaves an error it does not recognise as it was", () => {
    const failure = {
      argv: ["qemu-img"],
      exitCode: 1,
      stdout: "",
      stderr: "qemu-img: something new\n",
      host: "h",
    };
    const original = new CommandError("x", failure);
    expect(classifyQemuImgError(original)).toBe(original);
  });

  it("leaves non-command errors alone", () => {
    const error = new TypeError("bug");
    expect(classifyQemuImgError(error)).toBe(error);
  });
});
