import { existsSync } from "node:fs";
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile as readLocal,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CommandRunner } from "../../provider/host/command-runner.js";
import { LocalCommandRunner } from "../../provider/host/local-command-runner.js";
import { SshCommandRunner } from "../../provider/host/ssh-command-runner.js";
import { HostPathError } from "../../provider/tools/files/file-argv.js";
import { HostFileError } from "../../provider/tools/files/file-errors.js";
import { HostFiles } from "../../provider/tools/files/host-files.js";
import { runner as local } from "./rig/host.js";
import { startSshd, type TestSshd } from "./rig/sshd.js";

/** A name a shell would mangle in every way; valid for a file (no '/' or NUL). */
const HOSTILE = "a b;$(touch pwned) `id` 'q' \"d\"\nline2\t*~!-x ü";
const TMPFS_BYTES = 64 * 1024;

let sshd: TestSshd;
let base: string;
/** A small tmpfs that each test fills up as it needs. */
let small: string;
/** A read-only tmpfs holding one file, `existing`. */
let readOnly: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "virtsnap-host-files-"));
  small = join(base, "small");
  readOnly = join(base, "read-only");
  await mkdir(small);
  await mkdir(readOnly);
  await local.run(["mount", "-t", "tmpfs", "-o", `size=${TMPFS_BYTES}`, "tmpfs", small]);
  await local.run(["mount", "-t", "tmpfs", "-o", `size=${TMPFS_BYTES}`, "tmpfs", readOnly]);
  await writeFile(join(readOnly, "existing"), "old\n");
  await local.run(["mount", "-o", "remount,ro", readOnly]);
  sshd = await startSshd();
});

afterAll(async () => {
  await sshd?.stop();
  for (const mount of [small, readOnly]) await local.run(["umount", mount]).catch(() => undefined);
  await rm(base, { recursive: true, force: true });
  // $(touch pwned) in HOSTILE would have created it in the remote login directory or here.
  expect(existsSync("/root/pwned") || existsSync(join(process.cwd(), "pwned"))).toBe(false);
});

describe.each([
  ["on this machine", (): CommandRunner => new LocalCommandRunner()],
  ["over ssh", (): CommandRunner => SshCommandRunner.fromUri(sshd.uri())],
])("host files %s", (_where, makeRunner) => {
  let runner: CommandRunner;
  let dir: string;

  beforeEach(async () => {
    runner = makeRunner();
    dir = await mkdtemp(join(base, "t-"));
    // Empty the small tmpfs between tests.
    for (const name of await readdir(small)) await rm(join(small, name), { recursive: true, force: true });
    return () => rm(dir, { recursive: true, force: true });
  });

  describe("makeDirectory", () => {
    it("creates missing parents and leaves an existing directory alone", async () => {
      const path = join(dir, HOSTILE, "chain-1");
      await new HostFiles(runner).makeDirectory(path);
      await new HostFiles(runner).makeDirectory(path);
      expect((await new HostFiles(runner).stat(path)).type).toBe("directory");
    });

    it("gives the last directory the mode asked for", async () => {
      const path = join(dir, "private");
      await new HostFiles(runner).makeDirectory(path, { mode: 0o750 });
      expect((await new HostFiles(runner).stat(path)).permissions).toBe(0o750);
    });

    it("fails with not-directory when a part of the path is a file", async () => {
      await writeFile(join(dir, "file"), "");
      const error = await new HostFiles(runner).makeDirectory(join(dir, "file", "sub")).catch((e) => e);
      expect(error).toBeInstanceOf(HostFileError);
      expect(error).toMatchObject({ reason: "not-directory", operation: "create directory" });
    });

    it("fails with read-only on a read-only filesystem", async () => {
      const error = await new HostFiles(runner).makeDirectory(join(readOnly, "sub")).catch((e) => e);
      expect(error).toMatchObject({ reason: "read-only", host: runner.host });
      expect(error.message).toMatch(/^cannot create directory ".*" on .* \(mkdir: .*Read-only file system\)/);
    });
  });

  describe("writeFileAtomic", () => {
    it("writes the contents exactly, and leaves no temp file", async () => {
      const path = join(dir, `${HOSTILE}.json`);
      const contents = `{"a":"ü 日本 🦀"}\n${"line\n".repeat(20_000)}no final newline`;
      await new HostFiles(runner).writeFileAtomic(path, contents);
      expect(await readLocal(path, "utf8")).toBe(contents);
      expect(await readdir(dir)).toEqual([`${HOSTILE}.json`]);
    });

    it("replaces an existing file", async () => {
      const path = join(dir, "manifest.json");
      await writeFile(path, "old");
      await new HostFiles(runner).writeFileAtomic(path, "new");
      expect(await readLocal(path, "utf8")).toBe("new");
      expect(await readdir(dir)).toEqual(["manifest.json"]);
    });

    it("writes an empty file", async () => {
      const path = join(dir, "empty");
      await new HostFiles(runner).writeFileAtomic(path, "");
      expect(await new HostFiles(runner).size(path)).toBe(0);
    });

    it("leaves the old file and no temp file when the filesystem is full", async () => {
      const path = join(small, "manifest.json");
      await writeFile(path, "old");
      const error = await new HostFiles(runner)
        .writeFileAtomic(path, "x".repeat(2 * TMPFS_BYTES))
        .catch((e) => e);
      expect(error).toBeInstanceOf(HostFileError);
      expect(error).toMatchObject({ reason: "no-space", operation: "write", path });
      expect(error.message).toMatch(/No space left on device\): free space on that filesystem/);
      expect(await readLocal(path, "utf8")).toBe("old");
      expect(await readdir(small)).toEqual(["manifest.json"]);
    });

    it("leaves the old file and no temp file when the directory is not writable", async () => {
      const path = join(readOnly, "existing");
      const error = await new HostFiles(runner).writeFileAtomic(path, "new").catch((e) => e);
      expect(error).toMatchObject({ reason: "read-only", operation: "write", path });
      expect(await readLocal(path, "utf8")).toBe("old\n");
      expect(await readdir(readOnly)).toEqual(["existing"]);
    });

    it("removes its temp file when the rename fails (a directory is in the way)", async () => {
      const path = join(dir, "manifest.json");
      await mkdir(path);
      await writeFile(join(path, "keep"), "");
      const error = await new HostFiles(runner).writeFileAtomic(path, "new").catch((e) => e);
      expect(error).toBeInstanceOf(HostFileError);
      expect(await readdir(dir)).toEqual(["manifest.json"]);
      expect(await readdir(path)).toEqual(["keep"]);
    });

    it("refuses a relative path before running anything", async () => {
      await expect(new HostFiles(runner).writeFileAtomic("manifest.json", "{}")).rejects.toThrow(
        HostPathError,
      );
    });
  });

  describe("readFile", () => {
    it("reads a file with a hostile name", async () => {
      const path = join(dir, HOSTILE);
      await writeFile(path, "ü\n\ttext");
      expect(await new HostFiles(runner).readFile(path)).toBe("ü\n\ttext");
    });

    it("fails with not-found for a missing file", async () => {
      const error = await new HostFiles(runner).readFile(join(dir, "missing")).catch((e) => e);
      expect(error).toMatchObject({ reason: "not-found", operation: "read" });
    });
  });

  describe("fileExists", () => {
    it("sees files, directories and links (even dangling ones)", async () => {
      await writeFile(join(dir, HOSTILE), "");
      await symlink(join(dir, "nowhere"), join(dir, "link"));
      expect(await new HostFiles(runner).exists(join(dir, HOSTILE))).toBe(true);
      expect(await new HostFiles(runner).exists(dir)).toBe(true);
      expect(await new HostFiles(runner).exists(join(dir, "link"))).toBe(true);
    });

    it("says false for a missing path, and for a path under a file", async () => {
      await writeFile(join(dir, "file"), "");
      expect(await new HostFiles(runner).exists(join(dir, "missing"))).toBe(false);
      expect(await new HostFiles(runner).exists(join(dir, "file", "x"))).toBe(false);
    });
  });

  describe("statFile and fileSize", () => {
    it("reports type, size, permissions and modification time", async () => {
      const path = join(dir, HOSTILE);
      await writeFile(path, "12345");
      await chmod(path, 0o640);
      const before = Date.now();
      const stat = await new HostFiles(runner).stat(path);
      expect(stat).toMatchObject({ type: "file", size: 5, permissions: 0o640, uid: 0, gid: 0 });
      expect(Math.abs(stat.modifiedAt.getTime() - before)).toBeLessThan(60_000);
      expect(await new HostFiles(runner).size(path)).toBe(5);
    });

    it("reports a link as a link", async () => {
      await symlink("/etc/hostname", join(dir, "link"));
      expect((await new HostFiles(runner).stat(join(dir, "link"))).type).toBe("symlink");
    });
  });

  describe("listDirectory", () => {
    it("lists names with newlines, spaces and leading dashes, sorted", async () => {
      const names = [HOSTILE, "-rf", " ", "b", "a\nb", "日本"];
      for (const name of names) await writeFile(join(dir, name), "");
      await mkdir(join(dir, "sub"));
      expect(await new HostFiles(runner).list(dir)).toEqual([...names, "sub"].sort());
    });

    it("lists an empty directory as empty", async () => {
      expect(await new HostFiles(runner).list(dir)).toEqual([]);
    });

    it("fails with not-found for a missing directory", async () => {
      const error = await new HostFiles(runner).list(join(dir, "missing")).catch((e) => e);
      expect(error).toMatchObject({ reason: "not-found", operation: "list directory" });
    });
  });

  describe("removeFiles", () => {
    it("removes the files, ignores missing ones and touches nothing else", async () => {
      for (const name of [HOSTILE, "-rf", "keep"]) await writeFile(join(dir, name), "");
      await new HostFiles(runner).removeFiles([join(dir, HOSTILE), join(dir, "-rf"), join(dir, "missing")]);
      expect(await readdir(dir)).toEqual(["keep"]);
      expect(existsSync(join(dir, "pwned"))).toBe(false);
    });

    it("never removes a directory", async () => {
      await mkdir(join(dir, "sub"));
      await writeFile(join(dir, "sub", "keep"), "");
      const error = await new HostFiles(runner).removeFiles([join(dir, "sub")]).catch((e) => e);
      expect(error).toMatchObject({ reason: "is-directory", operation: "remove" });
      expect(await readdir(join(dir, "sub"))).toEqual(["keep"]);
    });

    it("runs nothing for no paths", async () => {
      await new HostFiles(runner).removeFiles([]);
    });
  });

  describe("removeEmptyDirectory", () => {
    it("removes an empty directory and accepts a missing one", async () => {
      await mkdir(join(dir, HOSTILE));
      await new HostFiles(runner).removeEmptyDirectory(join(dir, HOSTILE));
      await new HostFiles(runner).removeEmptyDirectory(join(dir, HOSTILE));
      expect(await readdir(dir)).toEqual([]);
    });

    it("fails with not-empty and keeps the contents", async () => {
      await mkdir(join(dir, "sub"));
      await writeFile(join(dir, "sub", "keep"), "");
      const error = await new HostFiles(runner).removeEmptyDirectory(join(dir, "sub")).catch((e) => e);
      expect(error).toMatchObject({ reason: "not-empty" });
      expect(await readdir(join(dir, "sub"))).toEqual(["keep"]);
    });
  });

  describe("freeBytes", () => {
    it("measures the free bytes of the filesystem, which shrink as it fills", async () => {
      const empty = await new HostFiles(runner).freeBytes(small);
      expect(empty).toBeGreaterThan(0);
      expect(empty).toBeLessThanOrEqual(TMPFS_BYTES);
      await writeFile(join(small, "fill"), Buffer.alloc(32 * 1024, 1));
      expect(await new HostFiles(runner).freeBytes(small)).toBeLessThanOrEqual(empty - 32 * 1024);
    });

    it("fails with not-found for a missing path", async () => {
      const error = await new HostFiles(runner).freeBytes(join(dir, "missing")).catch((e) => e);
      expect(error).toMatchObject({ reason: "not-found" });
    });
  });

  describe("copyFile", () => {
    it("copies the contents between hostile names", async () => {
      await writeFile(join(dir, HOSTILE), "contents ü");
      await new HostFiles(runner).copy(join(dir, HOSTILE), join(dir, `${HOSTILE}.copy`));
      expect(await readLocal(join(dir, `${HOSTILE}.copy`), "utf8")).toBe("contents ü");
    });

    it("fails with no-space when the target filesystem is full", async () => {
      await writeFile(join(dir, "big"), Buffer.alloc(2 * TMPFS_BYTES, 1));
      const error = await new HostFiles(runner).copy(join(dir, "big"), join(small, "big")).catch((e) => e);
      expect(error).toMatchObject({ reason: "no-space", operation: "copy" });
      expect(error.message).toContain(`"${join(dir, "big")}" to "${join(small, "big")}"`);
    });

    it("fails with not-found for a missing source", async () => {
      const error = await new HostFiles(runner).copy(join(dir, "missing"), join(dir, "copy")).catch((e) => e);
      expect(error).toMatchObject({ reason: "not-found" });
    });
  });
});
