import { describe, expect, it } from "vitest";
import { CommandError, CommandTimeoutError, ProgramNotFoundError } from "../../../../provider/host/errors.js";
import { classifyFileError, HostFileError } from "../../../../provider/tools/files/file-errors.js";
import { capturedFailure } from "../../../support/fixtures.js";

/** A CommandError as a runner throws it for this captured coreutils stderr. */
function failureFrom(fixture: string): CommandError {
  return capturedFailure("coreutils", fixture, ["cat"], { exitCode: 1, host: "root@backup-host" });
}

describe("classifyFileError", () => {
  it.each([
    ["cat-not-found", "not-found"],
    ["stat-not-found", "not-found"],
    ["find-not-found", "not-found"],
    ["df-not-found", "not-found"],
    ["cp-not-found", "not-found"],
    ["cat-permission-denied", "permission-denied"],
    ["dd-permission-denied", "permission-denied"],
    ["dd-no-space", "no-space"],
    ["cp-no-space", "no-space"],
    ["dd-read-only", "read-only"],
    ["mkdir-read-only", "read-only"],
    ["mv-read-only", "read-only"],
    ["rm-read-only", "read-only"],
    ["dd-exists", "exists"],
    ["rm-is-directory", "is-directory"],
    ["stat-not-directory", "not-directory"],
    ["mkdir-not-directory", "not-directory"],
    ["rmdir-not-empty", "not-empty"],
  ])("reads real coreutils 9.1 stderr %s as %s", (fixture, reason) => {
    const original = failureFrom(fixture);
    const error = classifyFileError(original, "write", "/backups/x");
    expect(error).toBeInstanceOf(HostFileError);
    expect(error).toMatchObject({
      reason,
      operation: "write",
      path: "/backups/x",
      argv: ["cat"],
      exitCode: 1,
      stderr: original.stderr,
      host: "root@backup-host",
      cause: original,
    });
  });

  it("says what failed, where, why and what to do", () => {
    const error = classifyFileError(failureFrom("dd-no-space"), "write", "/backups/full/m.json");
    expect((error as Error).message).toBe(
      "cannot write \"/backups/full/m.json\" on root@backup-host (dd: writing to '/backups/full/x': " +
        "No space left on device): free space on that filesystem (`df -h` shows how much is left)",
    );
  });

  it("names an unrecognised failure 'other' and keeps its message", () => {
    const failure = { argv: ["cat"], exitCode: 2, stdout: "", stderr: "cat: odd\n", host: "localhost" };
    const error = classifyFileError(new CommandError("x", failure), "read", "/x");
    expect(error).toMatchObject({ reason: "other", message: 'cannot read "/x" on localhost (cat: odd)' });
  });

  it("leaves missing programs, timeouts and anything else as they were", () => {
    const failure = { argv: ["cat"], exitCode: undefined, stdout: "", stderr: "", host: "localhost" };
    const missing = new ProgramNotFoundError(failure, "cat", "coreutils");
    const timeout = new CommandTimeoutError(failure, 10);
    const bug = new TypeError("bug");
    expect(classifyFileError(missing, "read", "/x")).toBe(missing);
    expect(classifyFileError(timeout, "read", "/x")).toBe(timeout);
    expect(classifyFileError(bug, "read", "/x")).toBe(bug);
  });
});
