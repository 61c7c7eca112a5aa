import { describe, expect, it } from "vitest";
import {
  backupBeginArgv,
  checkpointCreateArgv,
  checkpointDeleteArgv,
  checkpointDumpXmlArgv,
  checkpointListArgv,
  domJobAbortArgv,
  domJobInfoArgv,
} from "../../../../provider/tools/virsh/backup-argv.js";

const URI = "qemu:///system";
const V = ["virsh", "--connect", URI, "--quiet"];

describe("virsh backup argv builders", () => {
  it.each([
    [
      "backup-begin",
      backupBeginArgv(URI, "web1", "/tmp/b.xml"),
      [...V, "backup-begin", "--domain", "web1", "--backupxml", "/tmp/b.xml"],
    ],
    [
      "backup-begin with a checkpoint",
      backupBeginArgv(URI, "web1", "/tmp/b.xml", "/tmp/c.xml"),
      [
        ...V,
        "backup-begin",
        "--domain",
        "web1",
        "--backupxml",
        "/tmp/b.xml",
        "--checkpointxml",
        "/tmp/c.xml",
      ],
    ],
    ["domjobinfo", domJobInfoArgv(URI, "web1"), [...V, "domjobinfo", "--domain", "web1", "--rawstats"]],
    [
      "domjobinfo --completed --keep-completed",
      domJobInfoArgv(URI, "web1", { completed: true, keepCompleted: true }),
      [...V, "domjobinfo", "--domain", "web1", "--completed", "--keep-completed", "--rawstats"],
    ],
    [
      "domjobinfo --completed",
      domJobInfoArgv(URI, "web1", { completed: true }),
      [...V, "domjobinfo", "--domain", "web1", "--completed", "--rawstats"],
    ],
    ["domjobabort", domJobAbortArgv(URI, "web1"), [...V, "domjobabort", "--domain", "web1"]],
    [
      "checkpoint-create",
      checkpointCreateArgv(URI, "web1", "/tmp/c.xml"),
      [...V, "checkpoint-create", "--domain", "web1", "--xmlfile", "/tmp/c.xml"],
    ],
    [
      "checkpoint-create --redefine",
      checkpointCreateArgv(URI, "web1", "/tmp/c.xml", { redefine: true }),
      [...V, "checkpoint-create", "--domain", "web1", "--xmlfile", "/tmp/c.xml", "--redefine"],
    ],
    [
      "checkpoint-list",
      checkpointListArgv(URI, "web1"),
      [...V, "checkpoint-list", "--domain", "web1", "--name"],
    ],
    [
      "checkpoint-list --topological",
      checkpointListArgv(URI, "web1", { topological: true }),
      [...V, "checkpoint-list", "--domain", "web1", "--name", "--topological"],
    ],
    [
      "checkpoint-dumpxml",
      checkpointDumpXmlArgv(URI, "web1", "c1"),
      [...V, "checkpoint-dumpxml", "--domain", "web1", "--checkpointname", "c1"],
    ],
    [
      "checkpoint-dumpxml --size --no-domain",
      checkpointDumpXmlArgv(URI, "web1", "c1", { size: true, noDomain: true }),
      [...V, "checkpoint-dumpxml", "--domain", "web1", "--checkpointname", "c1", "--size", "--no-domain"],
    ],
    [
      "checkpoint-delete",
      checkpointDeleteArgv(URI, "web1", "c1"),
      [...V, "checkpoint-delete", "--domain", "web1", "--checkpointname", "c1"],
    ],
    [
      "checkpoint-delete --metadata",
      checkpointDeleteArgv(URI, "web1", "c1", { metadataOnly: true }),
      [...V, "checkpoint-delete", "--domain", "web1", "--checkpointname", "c1", "--metadata"],
    ],
  ])("builds %s", (_name, argv, expected) => {
    expect(argv).toEqual(expected);
  });

  it("keeps every value one argv element, whatever it contains", () => {
    const argv = backupBeginArgv("qemu+ssh://root@h/system", "a b;c", "/tmp/x y.xml", "$(rm -rf /)");
    expect(argv).toContain("a b;c");
    expect(argv).toContain("/tmp/x y.xml");
    expect(argv).toContain("$(rm -rf /)");
    expect(checkpointDeleteArgv(URI, "d", "--metadata")).toEqual([
      ...V,
      "checkpoint-delete",
      "--domain",
      "d",
      "--checkpointname",
      "--metadata",
    ]);
  });
});
