import { describe, expect, it } from "vitest";
import {
  checkArgv,
  compareArgv,
  convertArgv,
  createArgv,
  fileArg,
  infoArgv,
  rebaseUnsafeArgv,
  snapshotArgv,
} from "../../../../provider/tools/qemu-img/argv.js";

const IMG = "/var/lib/libvirt/images/web1.qcow2";
const QCOW2 = { file: "base.qcow2", format: "qcow2" };

describe("qemu-img argv builders", () => {
  it.each([
    ["info", infoArgv(IMG), ["qemu-img", "info", "--output=json", IMG]],
    [
      "info, every option",
      infoArgv(IMG, { shareLocked: true, backingChain: true, format: "qcow2" }),
      ["qemu-img", "info", "--output=json", "-U", "--backing-chain", "-f", "qcow2", IMG],
    ],
    ["check", checkArgv(IMG), ["qemu-img", "check", "--output=json", IMG]],
    [
      "check -U -f",
      checkArgv(IMG, { shareLocked: true, format: "qcow2" }),
      ["qemu-img", "check", "--output=json", "-U", "-f", "qcow2", IMG],
    ],
    [
      "rebase -u onto a relative name",
      rebaseUnsafeArgv(IMG, QCOW2),
      ["qemu-img", "rebase", "-u", "-f", "qcow2", "-F", "qcow2", "-b", "base.qcow2", IMG],
    ],
    ["convert", convertArgv("/a", "/b"), ["qemu-img", "convert", "-O", "qcow2", "/a", "/b"]],
    [
      "convert, every option",
      convertArgv("/a", "/b", { progress: true, shareLocked: true, sourceFormat: "raw" }),
      ["qemu-img", "convert", "-p", "-U", "-O", "qcow2", "-f", "raw", "/a", "/b"],
    ],
    ["compare", compareArgv("/a", "/b"), ["qemu-img", "compare", "/a", "/b"]],
    [
      "compare, every option",
      compareArgv("/a", "/b", { shareLocked: true, strict: true, firstFormat: "qcow2", secondFormat: "raw" }),
      ["qemu-img", "compare", "-U", "-s", "-f", "qcow2", "-F", "raw", "/a", "/b"],
    ],
    [
      "create with a size",
      createArgv(IMG, { sizeBytes: 67108864 }),
      ["qemu-img", "create", "-q", "-f", "qcow2", IMG, "67108864"],
    ],
    [
      "create on a backing file",
      createArgv(IMG, { backing: QCOW2 }),
      ["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", "base.qcow2", IMG],
    ],
    [
      "create on a backing file, larger",
      createArgv(IMG, { backing: QCOW2, sizeBytes: 1024 }),
      ["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", "base.qcow2", IMG, "1024"],
    ],
    ["snapshot -l", snapshotArgv(IMG, { action: "list" }), ["qemu-img", "snapshot", "-l", IMG]],
    [
      "snapshot -l -U",
      snapshotArgv(IMG, { action: "list", shareLocked: true }),
      ["qemu-img", "snapshot", "-l", "-U", IMG],
    ],
    [
      "snapshot -c",
      snapshotArgv(IMG, { action: "create", snapshot: "s1" }),
      ["qemu-img", "snapshot", "-c", "s1", IMG],
    ],
    [
      "snapshot -d",
      snapshotArgv(IMG, { action: "delete", snapshot: "s1" }),
      ["qemu-img", "snapshot", "-d", "s1", IMG],
    ],
    [
      "snapshot -a",
      snapshotArgv(IMG, { action: "apply", snapshot: "s1" }),
      ["qemu-img", "snapshot", "-a", "s1", IMG],
    ],
  ])("builds %s", (_name, argv, expected) => {
    expect(argv).toEqual(expected);
  });

  it("keeps every value one argv element, whatever it contains", () => {
    const argv = snapshotArgv("/images/a b;c.qcow2", { action: "create", snapshot: "$(x) y" });
    expect(argv).toContain("/images/a b;c.qcow2");
    expect(argv).toContain("$(x) y");
  });
});

describe("fileArg", () => {
  it.each([
    ["/var/lib/libvirt/images/a:b.qcow2", "/var/lib/libvirt/images/a:b.qcow2"],
    ["base.qcow2", "base.qcow2"],
    ["sub/base.qcow2", "sub/base.qcow2"],
    ["backup-2026-11-27T10:00:00.qcow2", "./backup-2026-11-27T10:00:00.qcow2"],
    ["json:{}", "./json:{}"],
    ["nbd:localhost:10809", "./nbd:localhost:10809"],
    ["-weird.qcow2", "./-weird.qcow2"],
  ])("passes %s to qemu-img as %s", (path, expected) => {
    expect(fileArg(path)).toBe(expected);
  });

  it("protects relative backing names and image paths with colons in every builder", () => {
    expect(rebaseUnsafeArgv("t:1.qcow2", { file: "t:0.qcow2", format: "qcow2" }).slice(-3)).toEqual([
      "-b",
      "./t:0.qcow2",
      "./t:1.qcow2",
    ]);
    expect(createArgv("n:1", { sizeBytes: 1 })).toContain("./n:1");
    expect(infoArgv("n:1")).toContain("./n:1");
    expect(compareArgv("a:1", "b:1").slice(-2)).toEqual(["./a:1", "./b:1"]);
  });
});
