// Golden image: snapshot a base image in a libvirt `dir` storage pool before you change it.
//
// Once, on the host: a pool for your golden images (any dir pool works, "default" too).
//   virsh pool-define-as golden dir --target /var/lib/libvirt/golden
//   virsh pool-start golden; virsh pool-autostart golden
//   cp debian-12.qcow2 /var/lib/libvirt/golden/; virsh pool-refresh golden
//
// Before each change to the image:
//   pulumi config set pool golden
//   pulumi config set volume debian-12.qcow2
//   pulumi config set change 2026-12-kernel    # names the snapshot "before-2026-12-kernel"
//   pulumi up                                  # takes it; see it with: virtsnap volume list golden/debian-12.qcow2
//
// Then change the image (virt-customize, or a VM booted from it). While a running VM has the
// image open (or an overlay on it), virtsnap writes nothing to it: `pulumi up` and `virtsnap
// volume revert` refuse and name the VM. Shut it down first.
//   it went wrong:  virtsnap volume revert golden/debian-12.qcow2 before-2026-12-kernel --yes
//   it went well:   pulumi destroy             # deletes the snapshot; the image keeps its new contents
//   next change:    pulumi config set change 2027-01-openssl; pulumi up
//                   (a new name replaces the snapshot: the new one is taken, then the old one deleted)
import * as pulumi from "@pulumi/pulumi";
import { VolumeSnapshot } from "virtsnap";

const config = new pulumi.Config();

const snapshot = new VolumeSnapshot("golden-image", {
  // A volume of a libvirt storage pool; virsh vol-path finds its file. An image outside any pool
  // works as well: volume: { path: "/var/lib/libvirt/images/golden.qcow2" }.
  volume: { pool: config.require("pool"), name: config.require("volume") },
  // The snapshot's name inside the qcow2 image (without it: the resource name, "golden-image").
  name: `before-${config.require("change")}`,
  // The libvirt URI defaults to qemu:///system (set `virtsnap:uri` or LIBVIRT_DEFAULT_URI for
  // another host, e.g. qemu+ssh://root@host/system: qemu-img then runs there over ssh).
});

export const snapshotName = snapshot.name;
export const image = snapshot.path;
export const snapshotId = snapshot.snapshotId;
export const takenAt = snapshot.createdAt;
export const virtualSize = snapshot.virtualSize;
