#!/usr/bin/env bash
# Re-captures the real virsh output for storage pools and volumes that test/fixtures/virsh/{pool,volume}-* hold.
# Run as root with libvirtd running. Each fixture is what a real virsh 9.0 printed (C locale):
# NAME.stdout and NAME.stderr, kept when not empty. A pool, a domain and their files are made in
# fixed places (so the paths in the fixtures do not change) and removed again; a second run at the
# same time refuses.
set -u
export LC_ALL=C
uri=${LIBVIRT_DEFAULT_URI:-qemu:///system}
out=$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/virsh
# Under libvirt's image root: the domain's QEMU (user libvirt-qemu) must reach the images.
dir=/var/lib/libvirt/images/virtsnap-volume-fixtures
pool=virtsnap-volume-fixtures
idle=virtsnap-volume-fixtures-idle
dom=virtsnap-volume-fixtures
if ! mkdir "$dir" 2>/dev/null; then
  echo "$dir exists: another capture runs, or a killed one left it" \
    "(then: virsh destroy $dom; virsh undefine $dom; virsh pool-destroy $pool; virsh pool-undefine $pool;" \
    "virsh pool-undefine $idle; rm -rf $dir)" >&2
  exit 1
fi
v() { virsh -c "$uri" -q "$@"; }
cleanup() {
  v destroy "$dom" >/dev/null 2>&1
  v undefine "$dom" >/dev/null 2>&1
  v pool-destroy "$pool" >/dev/null 2>&1
  v pool-undefine "$pool" >/dev/null 2>&1
  v pool-undefine "$idle" >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT
# capture NAME CMD...: stdout to NAME.stdout (when any), stderr to NAME.stderr (when any)
capture() {
  local name=$1; shift
  "$@" >"$out/$name.stdout" 2>"$out/$name.stderr" </dev/null
  [ -s "$out/$name.stdout" ] || rm -f "$out/$name.stdout"
  [ -s "$out/$name.stderr" ] || rm -f "$out/$name.stderr"
}

# A running dir pool with volumes (one name with spaces, one raw), and an inactive one.
mkdir -p "$dir/pool" "$dir/idle"
v pool-define-as "$pool" dir --target "$dir/pool" >/dev/null
v pool-start "$pool" >/dev/null
v vol-create-as "$pool" golden.qcow2 64M --format qcow2 >/dev/null
v vol-create-as "$pool" "with  two spaces.qcow2" 1M --format qcow2 >/dev/null
v vol-create-as "$pool" disk.raw 1M --format raw >/dev/null
v pool-define-as "$idle" dir --target "$dir/idle" >/dev/null

capture volume-path v vol-path --pool "$pool" golden.qcow2
capture volume-not-found v vol-path --pool "$pool" no-such-volume.qcow2
capture pool-not-found-vol-path v vol-path --pool no-such-pool golden.qcow2
capture pool-inactive-vol-path v vol-path --pool "$idle" golden.qcow2
capture pool-vol-list v vol-list --pool "$pool"
capture pool-not-found-vol-list v vol-list --pool no-such-pool
capture pool-inactive-vol-list v vol-list --pool "$idle"
capture pool-list-all-names v pool-list --all --name
capture pool-list-active-names v pool-list --name

# A running domain using the pool volume as a type='volume' disk, and an overlay whose backing
# file is base.qcow2: what the in-use check reads.
qemu-img create -q -f qcow2 "$dir/base.qcow2" 64M
qemu-img create -q -f qcow2 -F qcow2 -b "$dir/base.qcow2" "$dir/overlay.qcow2"
cat >"$dir/domain.xml" <<XML
<domain type='qemu'>
  <name>$dom</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='volume' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source pool='$pool' volume='golden.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$dir/overlay.qcow2'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
  </devices>
</domain>
XML
v define "$dir/domain.xml" >/dev/null
v start "$dom" >/dev/null
capture volume-dumpxml-users v dumpxml --domain "$dom"
capture volume-list-uuids v list --uuid
echo "fixtures written to $out"
