import { describe, expect, it } from "vitest";
import { CommandError } from "../../../../provider/host/errors.js";
import {
  BackupTargetExistsError,
  CheckpointExistsError,
  CheckpointInconsistentError,
  CheckpointNotFoundError,
  classifyVirshError,
  DomainNotFoundError,
  DomainNotRunningError,
  JobActiveError,
  OperationUnsupportedError,
  SnapshotExistsError,
} from "../../../../provider/tools/virsh/errors.js";
import { fixture } from "../../../support/fixtures.js";

/** A CommandError as the runner would throw it for this captured stderr of `virsh ... SUBCOMMAND`. */
function failureFrom(name: string, subcommand: string): CommandError {
  const stderr = fixture("virsh", `${name}.stderr`);
  const argv = ["virsh", "--connect", "qemu:///system", "--quiet", subcommand, "--domain", "d"];
  const failure = { argv, exitCode: 1, stdout: "", stderr, host: "localhost" };
  return new CommandError(CommandError.describe(failure), failure);
}

describe("classifyVirshError on backup, job and checkpoint failures", () => {
  it.each([
    ["backup-begin-shutoff", "backup-begin", DomainNotRunningError],
    ["backup-begin-target-exists", "backup-begin", BackupTargetExistsError],
    ["backup-begin-checkpoint-exists", "backup-begin", CheckpointExistsError],
    ["backup-begin-incremental-checkpoint-missing", "backup-begin", CheckpointNotFoundError],
    ["backup-begin-bitmap-missing", "backup-begin", CheckpointInconsistentError],
    ["backup-begin-job-active", "backup-begin", JobActiveError],
    ["backup-begin-no-such-disk", "backup-begin", OperationUnsupportedError],
    ["checkpoint-create-shutoff", "checkpoint-create", DomainNotRunningError],
    ["checkpoint-exists", "checkpoint-create", CheckpointExistsError],
    ["checkpoint-not-found", "checkpoint-dumpxml", CheckpointNotFoundError],
    ["checkpoint-delete-not-found", "checkpoint-delete", CheckpointNotFoundError],
    ["checkpoint-delete-bitmap-missing", "checkpoint-delete", CheckpointInconsistentError],
    ["checkpoint-delete-shutoff", "checkpoint-delete", DomainNotRunningError],
    ["checkpoint-dumpxml-size-shutoff", "checkpoint-dumpxml", DomainNotRunningError],
    ["checkpoint-list-no-domain", "checkpoint-list", DomainNotFoundError],
    ["domjob-info-shutoff", "domjobinfo", DomainNotRunningError],
  ])("classifies real virsh 9.0 stderr %s of %s as %s", (fixture, subcommand, errorClass) => {
    const original = failureFrom(fixture, subcommand);
    const classified = classifyVirshError(original);
    expect(classified).toBeInstanceOf(errorClass);
    expect(classified).toMatchObject({ argv: original.argv, exitCode: 1, stderr: original.stderr });
    expect((classified as Error).cause).toBe(original);
    expect((classified as Error).message).toMatch(/^libvirt on localhost: /);
  });

  it("tells a checkpoint that exists from a snapshot that exists by the subcommand (same libvirt words)", () => {
    const stderr = fixture("virsh", "checkpoint-exists.stderr");
    expect(stderr).toBe(fixture("virsh", "snapshot-exists.stderr"));
    expect(classifyVirshError(failureFrom("checkpoint-exists", "snapshot-create"))).toBeInstanceOf(
      SnapshotExistsError,
    );
    expect(classifyVirshError(failureFrom("snapshot-exists", "checkpoint-create"))).toBeInstanceOf(
      CheckpointExistsError,
    );
  });

  it("does not mistake the virsh URI option's value for the subcommand", () => {
    const stderr = fixture("virsh", "checkpoint-exists.stderr");
    const argv = ["virsh", "-c", "checkpoint-create", "snapshot-create", "--xmlfile", "f"];
    const failure = { argv, exitCode: 1, stdout: "", stderr, host: "localhost" };
    expect(classifyVirshError(new CommandError("x", failure))).toBeInstanceOf(SnapshotExistsError);
  });

  it("leaves a missing backup directory as a plain CommandError that carries libvirt's words", () => {
    const original = failureFrom("backup-begin-directory-missing", "backup-begin");
    expect(classifyVirshError(original)).toBe(original);
    expect(original.message).toMatch(/failed to create image file .*: No such file or directory/);
  });
});
