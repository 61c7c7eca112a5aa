// The clients of one host, bound together: what every operation above the tools layer works with.
import type { Host } from "../host/host.js";
import { HostFiles } from "./files/host-files.js";
import { QemuImgClient } from "./qemu-img/qemu-img-client.js";
import { VirshClient } from "./virsh/virsh-client.js";

/** virsh, qemu-img and file operations on one libvirt host, and that host's log. */
export interface HostTools {
  readonly host: Host;
  readonly virsh: VirshClient;
  readonly qemuImg: QemuImgClient;
  readonly files: HostFiles;
}

/** The clients for `host`: virsh through its URI, qemu-img and files through its shell. */
export function toolsFor(host: Host): HostTools {
  return {
    host,
    virsh: new VirshClient(host),
    qemuImg: new QemuImgClient(host.shell),
    files: new HostFiles(host.shell),
  };
}
