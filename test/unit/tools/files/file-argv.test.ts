import { describe, expect, it } from "vitest";
import {
  assertAbsolutePath,
  copyFileArgv,
  freeBytesArgv,
  HostPathError,
  listNamesArgv,
  makeDirectoryArgv,
  readFileArgv,
  removeDirectoryArgv,
  removeFilesArgv,
  renameArgv,
  statArgv,
  syncArgv,
  writeNewFileArgv,
} from "../../../../provider/tools/files/file-argv.js";

describe("host file argv builders", () => {
  it.each([
    ["mkdir", makeDirectoryArgv("/b/c"), ["mkdir", "-p", "--", "/b/c"]],
    ["mkdir with a mode", makeDirectoryArgv("/b/c", 0o750), ["mkdir", "-p", "-m", "750", "--", "/b/c"]],
    [
      "dd",
      writeNewFileArgv("/b/m.json.tmp-1"),
      ["dd", "of=/b/m.json.tmp-1", "conv=excl,fsync", "status=none"],
    ],
    ["mv", renameArgv("/b/t", "/b/m"), ["mv", "-f", "-T", "--", "/b/t", "/b/m"]],
    ["sync", syncArgv("/b"), ["sync", "--", "/b"]],
    ["cat", readFileArgv("/b/m"), ["cat", "--", "/b/m"]],
    ["stat", statArgv("/b/m"), ["stat", "-c", "%f %s %Y %u %g", "--", "/b/m"]],
    [
      "find",
      listNamesArgv("/b"),
      ["find", "-H", "/b", "-mindepth", "1", "-maxdepth", "1", "-printf", "%f\\0"],
    ],
    ["rm", removeFilesArgv(["/b/1", "/b/2"]), ["rm", "-f", "--", "/b/1", "/b/2"]],
    ["rmdir", removeDirectoryArgv("/b/c"), ["rmdir", "--", "/b/c"]],
    ["df", freeBytesArgv("/b"), ["df", "-B1", "--output=avail", "--", "/b"]],
    ["cp", copyFileArgv("/b/1", "/b/2"), ["cp", "-T", "--", "/b/1", "/b/2"]],
  ])("builds %s", (_name, argv, expected) => {
    expect(argv).toEqual(expected);
  });

  it("keeps a hostile path one argv element", () => {
    const path = "/b/a b;$(x)\n'q'";
    expect(readFileArgv(path)).toEqual(["cat", "--", path]);
    expect(writeNewFileArgv(path)).toEqual(["dd", `of=${path}`, "conv=excl,fsync", "status=none"]);
  });

  it.each([-1, 0o10000, 1.5])("refuses directory mode %s", (mode) => {
    expect(() => makeDirectoryArgv("/b", mode)).toThrow(RangeError);
  });
});

describe("assertAbsolutePath", () => {
  it.each(["/", "/b", "/b/../c", "/a b/-x"])("accepts %s", (path) => {
    expect(() => assertAbsolutePath(path)).not.toThrow();
  });

  it.each([
    ["a relative path", "b/c", /is not an absolute path/],
    ["an option-like path", "-rf", /is not an absolute path/],
    ["the empty string", "", /is not an absolute path/],
    ["a home-relative path", "~/b", /is not an absolute path/],
    ["a NUL byte", "/b\0c", /NUL/],
  ])("refuses %s", (_name, path, message) => {
    expect(() => assertAbsolutePath(path)).toThrow(HostPathError);
    expect(() => assertAbsolutePath(path)).toThrow(message);
  });
});
