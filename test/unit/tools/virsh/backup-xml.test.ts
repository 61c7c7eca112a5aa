import { describe, expect, it } from "vitest";
import { buildBackupXml } from "../../../../provider/tools/virsh/backup-xml.js";
import { parseXml } from "../../../../provider/tools/xml.js";

describe("buildBackupXml", () => {
  it("writes a full push backup of one disk into a qcow2 file and leaves the other out", () => {
    const xml = buildBackupXml({
      disks: [
        { target: "vda", backup: "yes", file: "/backups/web1/c1/vda.qcow2" },
        { target: "vdb", backup: "no" },
      ],
    });
    expect(xml).toBe(
      [
        '<domainbackup mode="push">',
        "  <disks>",
        '    <disk name="vda" backup="yes" type="file">',
        '      <driver type="qcow2"/>',
        '      <target file="/backups/web1/c1/vda.qcow2"/>',
        "    </disk>",
        '    <disk name="vdb" backup="no"/>',
        "  </disks>",
        "</domainbackup>",
        "",
      ].join("\n"),
    );
  });

  it("names the checkpoint of an incremental backup and keeps a raw format when asked", () => {
    const xml = buildBackupXml({
      incremental: "c1",
      disks: [{ target: "vda", backup: "yes", file: "/b/vda.raw", format: "raw" }],
    });
    expect(xml).toContain("<incremental>c1</incremental>");
    expect(xml).toContain('<driver type="raw"/>');
    expect(xml.indexOf("<incremental>")).toBeLessThan(xml.indexOf("<disks>"));
  });

  it("leaves the disks to libvirt when none are given", () => {
    expect(buildBackupXml({})).toBe('<domainbackup mode="push"/>\n');
  });

  it("escapes markup in values so they cannot add elements or attributes", () => {
    const hostileCheckpoint = "</incremental><disks><disk name='vda' backup='no'/></disks><incremental>x";
    const hostileFile = `/b/a"b'c<d>&e.qcow2`;
    const xml = buildBackupXml({
      incremental: hostileCheckpoint,
      disks: [{ target: 'vda" backup="no', backup: "yes", file: hostileFile }],
    });
    const tree = parseXml(xml, ["domainbackup.disks.disk"]);
    expect(tree).toEqual({
      domainbackup: {
        "@_mode": "push",
        incremental: hostileCheckpoint,
        disks: {
          disk: [
            {
              "@_name": 'vda" backup="no',
              "@_backup": "yes",
              "@_type": "file",
              driver: { "@_type": "qcow2" },
              target: { "@_file": hostileFile },
            },
          ],
        },
      },
    });
  });
});
