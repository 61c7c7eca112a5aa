import { describe, expect, it } from "vitest";
import { CommandError } from "../../../../provider/host/errors.js";
import {
  classifyVirshError,
  DomainNotFoundError,
  StoragePoolInactiveError,
  StoragePoolNotFoundError,
  StorageVolumeNotFoundError,
} from "../../../../provider/tools/virsh/errors.js";
import { fixture } from "../../../support/fixtures.js";

/** A CommandError as the runner would throw it for this captured virsh stderr. */
function failureFrom(name: string, subcommand: string): CommandError {
  const stderr = fixture("virsh", `${name}.stderr`);
  const failure = { argv: ["virsh", subcommand], exitCode: 1, stdout: "", stderr, host: "localhost" };
  return new CommandError(CommandError.describe(failure), failure);
}

describe("classifyVirshError for storage pools and volumes", () => {
  it.each([
    ["pool-not-found-vol-path", "vol-path", StoragePoolNotFoundError],
    ["pool-not-found-vol-list", "vol-list", StoragePoolNotFoundError],
    ["pool-inactive-vol-path", "vol-path", StoragePoolInactiveError],
    ["pool-inactive-vol-list", "vol-list", StoragePoolInactiveError],
    ["volume-not-found", "vol-path", StorageVolumeNotFoundError],
  ])("classifies real virsh 9.0 stderr %s as %s", (fixture, subcommand, errorClass) => {
    const original = failureFrom(fixture, subcommand);
    const classified = classifyVirshError(original);
    expect(classified).toBeInstanceOf(errorClass);
    expect(classified).toMatchObject({ stderr: original.stderr, exitCode: 1, host: "localhost" });
    expect((classified as Error).cause).toBe(original);
  });

  it("keeps libvirt's reason in the message", () => {
    expect((classifyVirshError(failureFrom("volume-not-found", "vol-path")) as Error).message).toBe(
      "libvirt on localhost: Storage volume not found: no storage vol with matching path 'no-such-volume.qcow2'",
    );
  });

  it("still classifies a missing domain as a missing domain", () => {
    expect(classifyVirshError(failureFrom("domain-not-found", "dumpxml"))).toBeInstanceOf(
      DomainNotFoundError,
    );
  });
});
