#!/usr/bin/env bash
# Makes this machine a libvirt/QEMU host virtsnap can use: Debian packages, virtlogd and libvirtd
# running, /dev/kvm usable by QEMU. Safe to run again; does only what is missing. Needs root
# for the install and the daemons; without root it prints the commands to run instead.
set -euo pipefail

packages=(libvirt-daemon-system libvirt-clients qemu-utils qemu-system-x86 openssh-client openssh-server)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    echo "setup-host: needs root, run: sudo $*" >&2
    return 1
  fi
}

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-host: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup-host: Debian packages present (${packages[*]})"
fi

# Without udev, /dev/kvm is root:root 0600; libvirt then re-probes QEMU's capabilities on every
# define/start (40-50 s each). Give it the ownership udev gives it on a normal Debian host.
if [ -e /dev/kvm ] && [ "$(stat -c %G:%a /dev/kvm)" = "root:600" ]; then
  echo "setup-host: /dev/kvm is root-only; giving it to group kvm (mode 660) as udev would"
  as_root chgrp kvm /dev/kvm
  as_root chmod 660 /dev/kvm
fi

# There is no systemd on CI machines: start the daemons by hand when none runs.
pgrep -x virtlogd >/dev/null || { echo "setup-host: starting virtlogd"; as_root virtlogd -d; }
pgrep -x libvirtd >/dev/null || { echo "setup-host: starting libvirtd"; as_root libvirtd -d; }

for _ in $(seq 1 60); do
  if virsh -c qemu:///system version >/dev/null 2>&1; then
    echo "setup-host: libvirtd answers: $(virsh -c qemu:///system version | grep -i 'running hypervisor' || true)"
    exit 0
  fi
  sleep 0.5
done
echo "setup-host: libvirtd does not answer on qemu:///system after 30 s" >&2
exit 1
