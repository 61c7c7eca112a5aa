// Before any integration test: make sure a real libvirtd answers, and sweep domains a killed run left.
import { readFileSync, statSync } from "node:fs";
import { virsh } from "./host.js";
import { sweepStale } from "./stale-objects.js";
import { removeTestDomain, TEST_DOMAIN_PREFIX } from "./test-domain.js";

export default async function setup(): Promise<void> {
  try {
    await virsh("version");
  } catch (error) {
    throw new Error(
      "The integration tests need a running libvirtd with QEMU (qemu:///system). On Debian, as root: " +
        "`.ci/run` installs and starts everything; or `apt-get install libvirt-daemon-system qemu-system-x86 qemu-utils` " +
        `then \`virtlogd -d; libvirtd -d\`. virsh said: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  warnIfKvmRootOnly();
  await sweepStale(await virsh("list", "--all", "--name"), TEST_DOMAIN_PREFIX, removeTestDomain);
}

// docs/design.md: without udev, /dev/kvm is root:root 0600 and libvirt re-probes QEMU on every
// define/start (40-50 s each). .ci/run fixes the ownership; say so if it was not run.
function warnIfKvmRootOnly(): void {
  try {
    const stat = statSync("/dev/kvm");
    const groupReadable = (stat.mode & 0o060) === 0o060;
    if (stat.gid === 0 && !groupReadable) {
      const kvmGroup = readFileSync("/etc/group", "utf8").match(/^kvm:/m) ? "kvm" : "(no kvm group)";
      console.warn(
        `/dev/kvm is root-only: every domain start will take ~45 s. Fix: chgrp ${kvmGroup} /dev/kvm; chmod 660 /dev/kvm`,
      );
    }
  } catch {
    // No /dev/kvm: QEMU runs under TCG, and libvirt caches its capabilities normally.
  }
}
