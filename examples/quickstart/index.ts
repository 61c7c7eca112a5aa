// Quick start: take a snapshot of an existing VM before you change it.
//
//   pulumi config set domain web1      # the libvirt domain to snapshot
//   pulumi up                          # takes the snapshot (see it with: virsh snapshot-list web1)
//   pulumi destroy                     # deletes it again
import * as pulumi from "@pulumi/pulumi";
import { DomainSnapshot } from "virtsnap";

const config = new pulumi.Config();

const snapshot = new DomainSnapshot("before-change", {
  domain: config.require("domain"),
  description: "taken by the virtsnap quick start",
  // Without `memory` and `disks`, virsh's default: a running VM's disks and memory, saved
  // inside its qcow2 images; a shut-off VM's disks. The libvirt URI defaults to qemu:///system
  // (set `virtsnap:uri` or LIBVIRT_DEFAULT_URI for another host, e.g. qemu+ssh://root@host/system).
});

export const snapshotName = snapshot.name;
export const takenAt = snapshot.createdAt;
export const domainState = snapshot.domainState;
export const disks = snapshot.snapshotDisks;
