import { describe, expect, it } from "vitest";
import { HostPathError } from "../../../provider/host/host-file-argv.js";
import { HostFileError } from "../../../provider/host/host-file-errors.js";
import { RecordingCommandRunner } from "../../../provider/host/recording-command-runner.js";
import { OutputParseError } from "../../../provider/tools/parse-output.js";
import { canonicalPaths, realPath, realPathArgv } from "../../../provider/volumes/real-paths.js";

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
    expect(await canonicalPaths(runner, ["/l1", "/l2"])).toEqual(["/x\ny", "/b"]);
    expect(await canonicalPaths(runner, [])).toEqual([]);
  });

  it("says a missing file is not found, from realpath's own message", async () => {
    const runner = new RecordingCommandRunner([
      {
        match: () => true,
        answer: { exitCode: 1, stderr: "realpath: /nonexist: No such file or directory\n" },
      },
    ]);
    await expect(realPath(runner, "/nonexist")).rejects.toMatchObject({
      constructor: HostFileError,
      reason: "not-found",
    });
  });

  it("refuses a relative path before running anything", async () => {
    const runner = new RecordingCommandRunner();
    await expect(realPath(runner, "images/x.qcow2")).rejects.toBeInstanceOf(HostPathError);
    expect(runner.runs).toEqual([]);
  });

  it("fails with the raw text when the answer does not have one path per question", async () => {
    const runner = new RecordingCommandRunner([{ match: () => true, answer: { stdout: "relative\0" } }]);
    await expect(realPath(runner, "/a")).rejects.toBeInstanceOf(OutputParseError);
    const short = new RecordingCommandRunner([{ match: () => true, answer: { stdout: "/a\0" } }]);
    await expect(canonicalPaths(short, ["/a", "/b"])).rejects.toThrow(/answered 1 paths for 2/);
  });
});
