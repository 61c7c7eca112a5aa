import { describe, expect, it } from "vitest";
import { poolNamesArgv, poolVolumesArgv } from "../../../../provider/tools/virsh/pool-argv.js";
import { activeDomainUuidsArgv, volumePathArgv } from "../../../../provider/tools/virsh/volume-argv.js";

const URI = "qemu:///system";
const V = ["virsh", "--connect", URI, "--quiet"];

describe("virsh volume and pool argv builders", () => {
  it.each([
    [
      "vol-path",
      volumePathArgv(URI, "golden", "debian.qcow2"),
      [...V, "vol-path", "--pool", "golden", "debian.qcow2"],
    ],
    ["list --uuid", activeDomainUuidsArgv(URI), [...V, "list", "--uuid"]],
    ["pool-list of active pools", poolNamesArgv(URI), [...V, "pool-list", "--name"]],
    ["pool-list of every pool", poolNamesArgv(URI, { all: true }), [...V, "pool-list", "--all", "--name"]],
    ["vol-list", poolVolumesArgv(URI, "golden"), [...V, "vol-list", "--pool", "golden"]],
  ])("builds %s", (_name, argv, expected) => {
    expect(argv).toEqual(expected);
  });

  it("keeps every value one argv element, whatever it contains", () => {
    const argv = volumePathArgv("qemu+ssh://root@h/system", "a b;c", "$(x)");
    expect(argv).toContain("a b;c");
    expect(argv).toContain("$(x)");
    expect(argv).toContain("qemu+ssh://root@h/system");
  });
});
