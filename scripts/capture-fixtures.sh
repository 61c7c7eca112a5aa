#!/usr/bin/env bash
# Re-captures the real virsh output that test/fixtures/virsh holds, on a host with libvirtd running.
# Each fixture is what a real virsh 9.0 printed; the classifier and parser tests read them.
set -u
source "$(dirname "$0")/lib/fixture-domain.sh"
export LC_ALL=C
uri=${LIBVIRT_DEFAULT_URI:-qemu:///system}
out=$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/virsh
dir=/var/lib/libvirt/images/virtsnap-fixtures
rm -rf "$dir"; mkdir -p "$dir"
dom=virtsnap-fixtures
v() { virsh -c "$uri" -q "$@"; }
# capture NAME CMD...: stdout to NAME.stdout (when any), stderr to NAME.stderr (when any)
capture() {
  local name=$1; shift
  "$@" >"$out/$name.stdout" 2>"$out/$name.stderr" </dev/null
  [ -s "$out/$name.stdout" ] || rm -f "$out/$name.stdout"
  [ -s "$out/$name.stderr" ] || rm -f "$out/$name.stderr"
}
snap() { # snap DOMAIN XML [flags...]
  local d=$1 x=$2; shift 2
  printf '%s' "$x" | v snapshot-create "$d" --xmlfile /dev/stdin "$@"
}
cleanup() {
  v destroy "$dom" >/dev/null 2>&1
  v undefine "$dom" --snapshots-metadata --checkpoints-metadata >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT

qemu-img create -q -f qcow2 "$dir/vda.qcow2" 64M
qemu-img create -q -f qcow2 "$dir/vdb.qcow2" 64M
chown -R libvirt-qemu:kvm "$dir" 2>/dev/null
fixture_domain_xml "$dom" "vda=$dir/vda.qcow2" "vdb=$dir/vdb.qcow2" >"$dir/domain.xml"
v define "$dir/domain.xml" >/dev/null

# Shut-off domain: XML, an internal snapshot, the list.
capture domain-dumpxml-shutoff v dumpxml "$dom"
capture domain-dumpxml-inactive v dumpxml --inactive "$dom"
snap "$dom" "<domainsnapshot><name>off1</name><description>taken while off</description></domainsnapshot>" >/dev/null
capture snapshot-dumpxml-internal-shutoff v snapshot-dumpxml "$dom" off1
capture domain-backup-shutoff sh -c "printf '%s' '<domainbackup/>' | virsh -c '$uri' -q backup-begin '$dom' /dev/stdin"
capture snapshot-create-memory-shutoff snap "$dom" "<domainsnapshot><name>m</name><memory snapshot='internal'/></domainsnapshot>"
v snapshot-delete "$dom" off1 >/dev/null

v start "$dom" >/dev/null
capture domain-dumpxml-running v dumpxml "$dom"
capture domain-not-found v dumpxml "no-such-domain"
capture snapshot-create-internal-no-memory-running snap "$dom" \
  "<domainsnapshot><name>x</name><memory snapshot='no'/><disks><disk name='vda' snapshot='internal'/><disk name='vdb' snapshot='internal'/></disks></domainsnapshot>"
capture snapshot-create-internal-disk-only-running snap "$dom" \
  "<domainsnapshot><name>x</name><memory snapshot='no'/><disks><disk name='vda' snapshot='internal'/><disk name='vdb' snapshot='internal'/></disks></domainsnapshot>" --disk-only
capture snapshot-create-internal-subset-running snap "$dom" \
  "<domainsnapshot><name>x</name><memory snapshot='internal'/><disks><disk name='vda' snapshot='internal'/><disk name='vdb' snapshot='no'/></disks></domainsnapshot>"
capture snapshot-create-quiesce-no-agent snap "$dom" \
  "<domainsnapshot><name>x</name><memory snapshot='no'/><disks><disk name='vda' snapshot='external'/><disk name='vdb' snapshot='no'/></disks></domainsnapshot>" --disk-only --quiesce
snap "$dom" "<domainsnapshot><name>full1</name><description>with memory</description><memory snapshot='internal'/></domainsnapshot>" >/dev/null
capture snapshot-exists snap "$dom" "<domainsnapshot><name>full1</name><memory snapshot='internal'/></domainsnapshot>"
capture snapshot-dumpxml-internal-running v snapshot-dumpxml "$dom" full1
snap "$dom" "<domainsnapshot><name>ext1</name><memory snapshot='no'/><disks><disk name='vda' snapshot='external'><source file='$dir/vda.ext1'/></disk><disk name='vdb' snapshot='no'/></disks></domainsnapshot>" --disk-only --atomic >/dev/null
capture snapshot-dumpxml-external v snapshot-dumpxml "$dom" ext1
capture domain-dumpxml-backing-chain v dumpxml "$dom"
capture snapshot-list-names v snapshot-list "$dom" --name
capture snapshot-list-topological v snapshot-list "$dom" --name --topological
capture snapshot-not-found v snapshot-dumpxml "$dom" no-such-snapshot
capture snapshot-delete-external-internal-parent v snapshot-delete "$dom" ext1
capture snapshot-list-no-domain v snapshot-list "no-such-domain" --name

# An active block job blocks snapshots and backups of that disk.
v blockcommit "$dom" vda --active >/dev/null 2>&1
sleep 1
capture snapshot-create-block-job-active snap "$dom" \
  "<domainsnapshot><name>x</name><memory snapshot='no'/><disks><disk name='vda' snapshot='external'/><disk name='vdb' snapshot='no'/></disks></domainsnapshot>" --disk-only
v blockjob "$dom" vda --abort >/dev/null 2>&1
capture domjobabort-no-job v domjobabort "$dom"
echo "fixtures written to $out"
