#!/usr/bin/env bash
# Re-captures the real qemu-img output that test/fixtures/qemu-img holds (run as root, libvirtd running).
# Each fixture is what a real qemu-img 7.2 printed: NAME.stdout, NAME.stderr and, for a non-zero
# exit, NAME.exit. The parser and classifier tests read them. Images live in a fixed directory so
# the paths in the fixtures do not change between captures; a second run at the same time refuses.
set -u
source "$(dirname "$0")/lib/fixture-domain.sh"
export LC_ALL=C
uri=${LIBVIRT_DEFAULT_URI:-qemu:///system}
out=$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/qemu-img
# Under libvirt's image root: the test domain's QEMU (user libvirt-qemu) must reach its disk.
dir=/var/lib/libvirt/images/virtsnap-qemu-img-fixtures
dom=virtsnap-qemu-img-fixtures
full=
if ! mkdir "$dir" 2>/dev/null; then
  echo "$dir exists: another capture runs, or a killed one left it (then: virsh undefine $dom; rm -rf $dir)" >&2
  exit 1
fi
v() { virsh -c "$uri" -q "$@"; }
cleanup() {
  v destroy "$dom" >/dev/null 2>&1
  v undefine "$dom" --snapshots-metadata --checkpoints-metadata >/dev/null 2>&1
  if [ -n "$full" ]; then umount "$full" 2>/dev/null; rmdir "$full"; fi
  rm -rf "$dir"
}
trap cleanup EXIT
mkdir -p "$out"
cd "$dir" || exit 1

# capture NAME CMD...: stdout/stderr kept when not empty, the exit code when not 0.
capture() {
  local name=$1 rc; shift
  "$@" >"$out/$name.stdout" 2>"$out/$name.stderr" </dev/null
  rc=$?
  [ -s "$out/$name.stdout" ] || rm -f "$out/$name.stdout"
  [ -s "$out/$name.stderr" ] || rm -f "$out/$name.stderr"
  if [ "$rc" -ne 0 ]; then echo "$rc" >"$out/$name.exit"; else rm -f "$out/$name.exit"; fi
}
io() { qemu-io -f qcow2 -c "$2" "$1" >/dev/null; } # io IMAGE "write -P 0x11 0 1M"
# be64 FILE OFFSET: the big-endian 64-bit number at OFFSET (qcow2 header fields, table entries).
be64() { echo $((16#$(od -An -tx1 -j "$2" -N8 "$1" | tr -d ' \n'))); }
# poke FILE OFFSET BYTES: overwrite bytes in place (BYTES as printf escapes).
poke() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }

# Plain images, a backing chain, bitmaps, internal snapshots, a raw image.
qemu-img create -q -f qcow2 base.qcow2 64M
io base.qcow2 "write -P 0x11 0 1M"
capture info-qcow2 qemu-img info --output=json "$dir/base.qcow2"
qemu-img create -q -f qcow2 -F qcow2 -b "$dir/base.qcow2" mid.qcow2
io mid.qcow2 "write -P 0x22 1M 1M"
qemu-img create -q -f qcow2 -F qcow2 -b "$dir/mid.qcow2" top.qcow2
io top.qcow2 "write -P 0x33 2M 1M"
capture info-overlay qemu-img info --output=json "$dir/top.qcow2"
capture info-backing-chain qemu-img info --output=json --backing-chain "$dir/top.qcow2"
# Unsafe rebase onto a name relative to the image's directory (how backup chains link files).
qemu-img create -q -f qcow2 rel.qcow2 64M
qemu-img rebase -u -F qcow2 -b base.qcow2 "$dir/rel.qcow2"
capture info-overlay-relative qemu-img info --output=json "$dir/rel.qcow2"
qemu-img create -q -f qcow2 orphan.qcow2 64M
qemu-img rebase -u -F qcow2 -b gone.qcow2 "$dir/orphan.qcow2"
capture info-backing-chain-missing qemu-img info --output=json --backing-chain "$dir/orphan.qcow2"
capture convert-backing-missing qemu-img convert -O qcow2 "$dir/orphan.qcow2" "$dir/orphan-flat.qcow2"

qemu-img create -q -f qcow2 bitmaps.qcow2 64M
qemu-img bitmap --add bitmaps.qcow2 enabled
qemu-img bitmap --add -g 131072 --disable bitmaps.qcow2 disabled
capture info-bitmaps qemu-img info --output=json "$dir/bitmaps.qcow2"

qemu-img create -q -f qcow2 snaps.qcow2 64M
io snaps.qcow2 "write -P 0x44 0 64k"
qemu-img snapshot -c first snaps.qcow2
io snaps.qcow2 "write -P 0x55 0 64k"
qemu-img snapshot -c second snaps.qcow2
capture info-snapshots qemu-img info --output=json "$dir/snaps.qcow2"
capture snapshot-delete-missing qemu-img snapshot -d no-such-snapshot "$dir/snaps.qcow2"
capture snapshot-apply-missing qemu-img snapshot -a no-such-snapshot "$dir/snaps.qcow2"
# qemu-img 7.2 refuses to revert an image that has persistent bitmaps, even disabled ones.
qemu-img snapshot -c s bitmaps.qcow2
capture snapshot-apply-bitmaps qemu-img snapshot -a s "$dir/bitmaps.qcow2"

qemu-img create -q -f raw disk.raw 8M
capture info-raw qemu-img info --output=json "$dir/disk.raw"
capture info-not-qcow2 qemu-img info --output=json -f qcow2 "$dir/disk.raw"
capture check-raw qemu-img check --output=json -f raw "$dir/disk.raw"
capture snapshot-create-raw qemu-img snapshot -c s "$dir/disk.raw"
capture snapshot-apply-raw qemu-img snapshot -a s "$dir/disk.raw"
capture info-not-found qemu-img info --output=json "$dir/no-such.qcow2"

# check: clean, leaked clusters (exit 3), corruption (exit 2); damage made by hand on copies.
qemu-img create -q -f qcow2 data.qcow2 64M
io data.qcow2 "write -P 0x66 0 4M"
capture check-clean qemu-img check --output=json -f qcow2 "$dir/data.qcow2"
refblock=$(be64 data.qcow2 "$(be64 data.qcow2 48)")  # header: refcount_table_offset at byte 48
l1=$(be64 data.qcow2 40)                              # header: l1_table_offset at byte 40
first_data=$(qemu-img map --output=json data.qcow2 | grep -o '"offset": [0-9]*' | head -1 | grep -o '[0-9]*$')
cp data.qcow2 leaks.qcow2
# A cluster past the old end with refcount 1 and no reference: a leak (and nothing else).
end_cluster=$(($(stat -c %s leaks.qcow2) / 65536))
truncate -s +64K leaks.qcow2
poke leaks.qcow2 $((refblock + 2 * end_cluster)) '\x00\x01'
capture check-leaks qemu-img check --output=json -f qcow2 "$dir/leaks.qcow2"
cp data.qcow2 corrupt.qcow2
# A data cluster in use with refcount 0: corruption.
poke corrupt.qcow2 $((refblock + 2 * (first_data / 65536))) '\x00\x00'
capture check-corrupt qemu-img check --output=json -f qcow2 "$dir/corrupt.qcow2"
cp data.qcow2 junk.qcow2
# An L1 entry pointing at an unaligned L2 table: QEMU refuses to read, and marks the image
# corrupt on the first read/write open that sees it.
poke junk.qcow2 "$l1" '\x80\x00\x00\x00\x00\x04\x80\x00'
capture convert-corrupt qemu-img convert -O qcow2 "$dir/junk.qcow2" "$dir/junk-copy.qcow2"
qemu-io -f qcow2 -c "write 0 64k" junk.qcow2 >/dev/null 2>&1
capture info-corrupt qemu-img info --output=json "$dir/junk.qcow2"
capture snapshot-create-corrupt qemu-img snapshot -c s "$dir/junk.qcow2"

# compare: identical (a chain and its flattened copy), different content, different sizes.
qemu-img convert -O qcow2 "$dir/top.qcow2" "$dir/flat.qcow2"
capture compare-identical qemu-img compare -f qcow2 -F qcow2 "$dir/top.qcow2" "$dir/flat.qcow2"
capture compare-mismatch qemu-img compare -f qcow2 -F qcow2 "$dir/top.qcow2" "$dir/base.qcow2"
qemu-img create -q -f qcow2 empty.qcow2 64M
qemu-img create -q -f qcow2 big.qcow2 128M
# Without -s, sizes may differ when the extra part reads as zeros.
capture compare-size-mismatch qemu-img compare -f qcow2 -F qcow2 "$dir/empty.qcow2" "$dir/big.qcow2"
capture compare-size-mismatch-strict qemu-img compare -s -f qcow2 -F qcow2 "$dir/empty.qcow2" "$dir/big.qcow2"
capture compare-not-found qemu-img compare -f qcow2 -F qcow2 "$dir/base.qcow2" "$dir/no-such.qcow2"

# convert -p: progress on stdout, one "(N.NN/100%)" per step, separated by carriage returns.
qemu-img create -q -f qcow2 spread.qcow2 64M
for mib in 0 4 8 12 16 20 24 28 32 36 40 44 48 52 56 60; do io spread.qcow2 "write -P 0x77 ${mib}M 1M"; done
capture convert-progress qemu-img convert -p -O qcow2 -f qcow2 "$dir/spread.qcow2" "$dir/spread-copy.qcow2"

# No space left: a 1 MiB tmpfs under /tmp, mounted for this capture only.
full=$(mktemp -d /tmp/virtsnap-enospc.XXXXXX)
mount -t tmpfs -o size=1m tmpfs "$full"
capture convert-no-space qemu-img convert -O qcow2 -f qcow2 "$dir/data.qcow2" "$full/copy.qcow2"
# The tmpfs directory name is random: keep the fixture stable.
sed -i "s|$full|/tmp/virtsnap-enospc|g" "$out"/convert-no-space.* 2>/dev/null
umount "$full" && rmdir "$full" && full=

# A running domain: QEMU's locks, libvirt's checkpoint bitmaps, a snapshot with VM state.
qemu-img create -q -f qcow2 vda.qcow2 64M
chown libvirt-qemu:kvm vda.qcow2 2>/dev/null
fixture_domain_xml "$dom" "vda=$dir/vda.qcow2" >domain.xml
v define domain.xml >/dev/null
v start "$dom" >/dev/null
capture info-locked qemu-img info --output=json "$dir/vda.qcow2"
capture snapshot-create-locked qemu-img snapshot -c s "$dir/vda.qcow2"
capture rebase-locked qemu-img rebase -u -F qcow2 -b base.qcow2 "$dir/vda.qcow2"
capture compare-locked qemu-img compare -f qcow2 -F qcow2 "$dir/vda.qcow2" "$dir/empty.qcow2"
v snapshot-create-as "$dom" full >/dev/null
capture info-running-snapshot qemu-img info --output=json -U "$dir/vda.qcow2"
v checkpoint-create-as "$dom" cp1 >/dev/null
# QEMU writes a new persistent bitmap into the qcow2 header only when it closes the image.
capture info-running-checkpoint qemu-img info --output=json -U "$dir/vda.qcow2"
v destroy "$dom" >/dev/null
v start "$dom" >/dev/null
capture info-running-bitmap-in-use qemu-img info --output=json -U "$dir/vda.qcow2"
v destroy "$dom" >/dev/null
capture snapshot-apply-checkpoint-bitmap qemu-img snapshot -a full "$dir/vda.qcow2"
echo "fixtures written to $out"
