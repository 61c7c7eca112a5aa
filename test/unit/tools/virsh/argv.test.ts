import { describe, expect, it } from "vitest";
import {
  domainDumpXmlArgv,
  snapshotCreateArgv,
  snapshotDeleteArgv,
  snapshotDumpXmlArgv,
  snapshotListArgv,
} from "../../../../provider/tools/virsh/argv.js";

const URI = "qemu:///system";
const V = ["virsh", "--connect", URI, "--quiet"];

describe("virsh argv builders", () => {
  it.each([
    ["dumpxml", domainDumpXmlArgv(URI, "web1"), [...V, "dumpxml", "--domain", "web1"]],
    [
      "dumpxml --inactive",
      domainDumpXmlArgv(URI, "web1", { inactive: true }),
      [...V, "dumpxml", "--domain", "web1", "--inactive"],
    ],
    [
      "snapshot-create, no flags",
      snapshotCreateArgv(URI, "web1", "/tmp/s.xml", {}),
      [...V, "snapshot-create", "--domain", "web1", "--xmlfile", "/tmp/s.xml"],
    ],
    [
      "snapshot-create, every flag",
      snapshotCreateArgv(URI, "web1", "/tmp/s.xml", {
        redefine: true,
        diskOnly: true,
        atomic: true,
        quiesce: true,
        live: true,
      }),
      [
        ...V,
        "snapshot-create",
        "--domain",
        "web1",
        "--xmlfile",
        "/tmp/s.xml",
        "--redefine",
        "--disk-only",
        "--atomic",
        "--quiesce",
        "--live",
      ],
    ],
    [
      "snapshot-dumpxml",
      snapshotDumpXmlArgv(URI, "web1", "s1"),
      [...V, "snapshot-dumpxml", "--domain", "web1", "--snapshotname", "s1"],
    ],
    ["snapshot-list", snapshotListArgv(URI, "web1"), [...V, "snapshot-list", "--domain", "web1", "--name"]],
    [
      "snapshot-delete",
      snapshotDeleteArgv(URI, "web1", "s1", false),
      [...V, "snapshot-delete", "--domain", "web1", "--snapshotname", "s1"],
    ],
    [
      "snapshot-delete --metadata",
      snapshotDeleteArgv(URI, "web1", "s1", true),
      [...V, "snapshot-delete", "--domain", "web1", "--snapshotname", "s1", "--metadata"],
    ],
  ])("builds %s", (_name, argv, expected) => {
    expect(argv).toEqual(expected);
  });

  it("keeps every value one argv element, whatever it contains", () => {
    const argv = snapshotDumpXmlArgv("qemu+ssh://root@h/system", "a b;c", "$(x)");
    expect(argv).toContain("a b;c");
    expect(argv).toContain("$(x)");
    expect(argv).toContain("qemu+ssh://root@h/system");
  });
});
