import { describe, expect, it } from "vitest";
import { OutputParseError } from "../../../../provider/tools/parse-output.js";
import { parseDomJobInfo } from "../../../../provider/tools/virsh/domjob-info.js";
import { fixture } from "../../../support/fixtures.js";

describe("parseDomJobInfo", () => {
  it("reads no job", () => {
    expect(parseDomJobInfo(fixture("virsh", "domjob-info-none.stdout"))).toEqual({ type: "none" });
  });

  it("reads a running backup's progress in exact bytes", () => {
    expect(parseDomJobInfo(fixture("virsh", "domjob-info-running.stdout"))).toEqual({
      type: "unbounded",
      operation: "backup",
      timeElapsedMs: 272,
      dataTotal: 1073741824,
      dataProcessed: 371195904,
      dataRemaining: 702545920,
    });
  });

  it("reads a completed full backup", () => {
    expect(parseDomJobInfo(fixture("virsh", "domjob-info-completed.stdout"))).toEqual({
      type: "completed",
      operation: "backup",
      timeElapsedMs: 1861,
      dataTotal: 1140850688,
      dataProcessed: 1140850688,
      dataRemaining: 0,
    });
  });

  it("reads a completed incremental backup that copied only the dirty bytes", () => {
    expect(parseDomJobInfo(fixture("virsh", "domjob-info-completed-incremental.stdout"))).toMatchObject({
      type: "completed",
      dataTotal: 3 * 1024 * 1024,
    });
  });

  it("reads a failed backup with libvirt's reason", () => {
    expect(parseDomJobInfo(fixture("virsh", "domjob-info-failed.stdout"))).toMatchObject({
      type: "failed",
      operation: "backup",
      errorMessage: "No space left on device",
    });
  });

  it("reads an aborted backup as cancelled", () => {
    expect(parseDomJobInfo(fixture("virsh", "domjob-info-cancelled.stdout"))).toMatchObject({
      type: "cancelled",
      operation: "backup",
      errorMessage: "Operation canceled",
      dataRemaining: 655360000,
    });
  });

  it("reads a backup cut short by the domain stopping: cancelled, no message, no sizes", () => {
    expect(parseDomJobInfo(fixture("virsh", "domjob-info-cancelled-domain-stopped.stdout"))).toEqual({
      type: "cancelled",
      operation: "backup",
      timeElapsedMs: 1986,
    });
  });

  it("keeps an error message that contains colons and reads an operation it does not know", () => {
    const info = parseDomJobInfo("Job type: 4\n\noperation: 42\ntime_elapsed: 5\nerrmsg: a: b: c\n");
    expect(info).toEqual({ type: "failed", operation: "unknown", timeElapsedMs: 5, errorMessage: "a: b: c" });
  });

  it("throws an OutputParseError that keeps the raw text when a job has no elapsed time", () => {
    const raw = "Job type: 2\n\noperation: 9\n";
    expect(() => parseDomJobInfo(raw)).toThrow(OutputParseError);
    expect(() => parseDomJobInfo(raw)).toThrow(/time_elapsed/);
  });

  it("throws an OutputParseError on output that is not --rawstats", () => {
    expect(() => parseDomJobInfo("Job type:         Unbounded   \n")).toThrow(OutputParseError);
  });
});
