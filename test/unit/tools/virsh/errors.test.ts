import { describe, expect, it } from "vitest";
import { CommandError } from "../../../../provider/host/errors.js";
import {
  classifyVirshError,
  DomainNotFoundError,
  DomainNotRunningError,
  JobActiveError,
  libvirtReason,
  OperationUnsupportedError,
  SnapshotExistsError,
  SnapshotNotFoundError,
} from "../../../../provider/tools/virsh/errors.js";
import { fixture } from "../../../support/fixtures.js";

/** A CommandError as the runner would throw it for this captured virsh stderr. */
function failureFrom(name: string): CommandError {
  const stderr = fixture("virsh", `${name}.stderr`);
  const failure = { argv: ["virsh"], exitCode: 1, stdout: "", stderr, host: "localhost" };
  return new CommandError(CommandError.describe(failure), failure);
}

describe("classifyVirshError", () => {
  it.each([
    ["domain-not-found", DomainNotFoundError],
    ["snapshot-list-no-domain", DomainNotFoundError],
    ["snapshot-not-found", SnapshotNotFoundError],
    ["snapshot-exists", SnapshotExistsError],
    ["snapshot-create-block-job-active", JobActiveError],
    ["domain-backup-shutoff", DomainNotRunningError],
    ["snapshot-create-internal-no-memory-running", OperationUnsupportedError],
    ["snapshot-create-internal-subset-running", OperationUnsupportedError],
    ["snapshot-create-internal-disk-only-running", OperationUnsupportedError],
    ["snapshot-create-memory-shutoff", OperationUnsupportedError],
    ["snapshot-create-quiesce-no-agent", OperationUnsupportedError],
    ["snapshot-delete-external-internal-parent", OperationUnsupportedError],
  ])("classifies real virsh 9.0 stderr %s as %s", (fixture, errorClass) => {
    const original = failureFrom(fixture);
    const classified = classifyVirshError(original);
    expect(classified).toBeInstanceOf(errorClass);
    // The run's facts survive classification.
    expect(classified).toMatchObject({
      argv: ["virsh"],
      exitCode: 1,
      stderr: original.stderr,
      host: "localhost",
    });
    expect((classified as Error).cause).toBe(original);
  });

  it("leaves an error it does not recognise as it was", () => {
    const original = failureFrom("domjobabort-no-job");
    expect(classifyVirshError(original)).toBe(original);
  });

  it("does not mistake 'no job is active' for an active job", () => {
    expect(classifyVirshError(failureFrom("domjobabort-no-job"))).not.toBeInstanceOf(JobActiveError);
  });

  it("leaves non-command errors alone", () => {
    const error = new TypeError("bug");
    expect(classifyVirshError(error)).toBe(error);
  });

  it("takes libvirt's reason from the last error line", () => {
    const stderr = fixture("virsh", "snapshot-delete-external-internal-parent.stderr");
    expect(libvirtReason(stderr)).toBe(
      "Operation not supported: deleting external snapshot that has internal snapshot as parent not supported",
    );
  });
});
