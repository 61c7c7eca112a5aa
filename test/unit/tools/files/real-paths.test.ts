import { describe, expect, it } from "vitest";
import { HostPathError, realPathArgv } from "../../../../provider/tools/files/file-argv.js";
import { HostFileError } from "../../../../provider/tools/files/file-errors.js";
import { HostFiles } from "../../../../provider/tools/files/host-files.js";
import { OutputParseError } from "../../../../provider/tools/parse-output.js";
import { RecordingCommandRunner } from "../../../support/recording-command-runner.js";

describe("realPathArgv", () => {
  it.each([
    ["an existing file", ["/a"], true, ["realpath", "-e", "-z", "--", "/a"]],
    ["any paths", ["/a", "/b c"], false, ["realpath", "-m", "-z", "--", "/a", "/b c"]],
  ])("builds realpath for %s", (_what, paths, existing, expected) => {
    expect(realPathArgv(paths, { existing })).toEqual(expected);
  });
});

describe("realPath and canonicalPaths", () => {
  it("reads NUL-terminated answers, so that a path may hold a newline", async () => {
    const runner = new RecordingCommandRunner([{ match: () => true, answer: { stdout: "/x\ny\0/b\0" } }]);
    expect(await new HostFiles(runner).canonicalPaths(["/l1", "/l2"])).toEqual(["/x\ny", "/b"]);
    expect(await new HostFiles(runner).canonicalPaths([])).toEqual([]);
  });

  it("says a missing file is not found, from realpath's own message", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: () => true,
        answer: { exitCode: 1, stderr: "realpath: /nonexist: No such file or directory\n" },
      },
    ]);
    await expect(new HostFiles(runner).realPath("/nonexist")).rejects.toMatchObject({
      constructor: HostFileError,
      reason: "not-found",
    });
  });

  it("refuses a relative path before running anything", async () => {
    const runner = new RecordingCommandRunner();
    await expect(new HostFiles(runner).realPath("images/x.qcow2")).rejects.toBeInstanceOf(HostPathError);
    expect(runner.runs).toEqual([]);
  });

  it("fails with the raw text when the answer does not have one path per question", async () => {
    const runner = new RecordingCommandRunner([{ match: () => true, answer: { stdout: "relative\0" } }]);
    await expect(new HostFiles(runner).realPath("/a")).rejects.toBeInstanceOf(OutputParseError);
    const short = new RecordingCommandRunner([{ match: () => true, answer: { stdout: "/a\0" } }]);
    await expect(new HostFiles(short).canonicalPaths(["/a", "/b"])).rejects.toThrow(/answered 1 paths for 2/);
  });
});
