#!/usr/bin/env bash
# Re-captures the real virsh output about backups, jobs and checkpoints in test/fixtures/virsh
# (files named backup-*, checkpoint-*, domjob-*), on a host with libvirtd running, as root.
# Each fixture is what a real virsh 9.0 printed; the parser and classifier tests read them.
# Takes about a minute: one capture waits out libvirt's 30 s job-lock timeout.
set -u
source "$(dirname "$0")/lib/fixture-domain.sh"
export LC_ALL=C
uri=${LIBVIRT_DEFAULT_URI:-qemu:///system}
out=$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/virsh
dom=virtsnap-backup-fixtures
dir=/var/lib/libvirt/images/$dom
v() { virsh -c "$uri" -q "$@"; }
# capture NAME CMD...: stdout to NAME.stdout (when any), stderr to NAME.stderr (when any)
capture() {
  local name=$1; shift
  "$@" >"$out/$name.stdout" 2>"$out/$name.stderr" </dev/null
  [ -s "$out/$name.stdout" ] || rm -f "$out/$name.stdout"
  [ -s "$out/$name.stderr" ] || rm -f "$out/$name.stderr"
}
cleanup() {
  v destroy "$dom" >/dev/null 2>&1
  v undefine "$dom" --snapshots-metadata --checkpoints-metadata >/dev/null 2>&1
  mountpoint -q "$dir/full" && umount "$dir/full"
  rm -rf "$dir"
}
trap cleanup EXIT
cleanup
mkdir -p "$dir/xml"

# guest_write DISK_INDEX 'write -P 0x5a OFFSET LENGTH': a guest write, through QEMU's monitor.
guest_write() {
  v qemu-monitor-command "$dom" --hmp "qemu-io -d /machine/peripheral/virtio-disk$1/virtio-backend \"$2\"" >/dev/null
}
# backup_xml FILE [INCREMENTAL] DISK=TARGET|DISK=no ...: a push backup description.
backup_xml() {
  local file=$1 incremental=$2; shift 2
  {
    echo "<domainbackup mode='push'>"
    [ -n "$incremental" ] && echo "  <incremental>$incremental</incremental>"
    echo "  <disks>"
    for spec in "$@"; do
      local disk=${spec%%=*} target=${spec#*=}
      if [ "$target" = no ]; then
        echo "    <disk name='$disk' backup='no'/>"
      else
        echo "    <disk name='$disk' backup='yes' type='file'><driver type='qcow2'/><target file='$target'/></disk>"
      fi
    done
    echo "  </disks>"
    echo "</domainbackup>"
  } >"$file"
}
# checkpoint_xml FILE NAME DISK=bitmap|DISK=no ...
checkpoint_xml() {
  local file=$1 name=$2; shift 2
  {
    echo "<domaincheckpoint><name>$name</name><description>fixture $name</description><disks>"
    for spec in "$@"; do echo "<disk name='${spec%%=*}' checkpoint='${spec#*=}'/>"; done
    echo "</disks></domaincheckpoint>"
  } >"$file"
}
# wait_job: until domjobinfo shows no running job.
wait_job() {
  for _ in $(seq 1 600); do
    v domjobinfo "$dom" --rawstats 2>/dev/null | grep -q '^Job type: [12]' || return 0
    sleep 0.2
  done
}
# slow_backup BYTES_PER_S: throttles the running backup's QEMU block jobs (not exposed by
# libvirt 9.0) so it is still running while we look at it.
slow_backup() {
  local job
  for job in $(v qemu-monitor-command "$dom" '{"execute":"query-block-jobs"}' | grep -o 'backup-[a-z0-9-]*'); do
    v qemu-monitor-command "$dom" \
      "{\"execute\":\"block-job-set-speed\",\"arguments\":{\"device\":\"$job\",\"speed\":$1}}" >/dev/null
  done
}

# vda holds 1 GiB of data, enough for a backup to run a second before we throttle it.
qemu-img create -q -f qcow2 "$dir/vda.qcow2" 1G
qemu-img create -q -f qcow2 "$dir/vdb.qcow2" 64M
# A 2 MiB file system for the "disk full" capture. It must be mounted before the domain starts:
# QEMU runs in its own mount namespace, and a mount made later on a host whose / is private
# (no systemd) never appears there (blockdev-add then fails with "No such file or directory").
mkdir -p "$dir/full"
mount -t tmpfs -o size=2m tmpfs "$dir/full"
chown -R libvirt-qemu:kvm "$dir" 2>/dev/null
fixture_domain_xml "$dom" "vda=$dir/vda.qcow2" "vdb=$dir/vdb.qcow2" >"$dir/domain.xml"
v define "$dir/domain.xml" >/dev/null
x=$dir/xml

# Shut-off domain: neither backups nor checkpoints.
backup_xml "$x/off.xml" "" "vda=$dir/off-vda.qcow2" "vdb=$dir/off-vdb.qcow2"
checkpoint_xml "$x/full1.xml" full1 vda=bitmap vdb=bitmap
capture backup-begin-shutoff v backup-begin "$dom" --backupxml "$x/off.xml"
capture checkpoint-create-shutoff v checkpoint-create "$dom" --xmlfile "$x/full1.xml"

v start "$dom" >/dev/null
for offset in 0 256M 512M 768M; do guest_write 0 "write -P 0x5a $offset 256M"; done
guest_write 1 "write -P 0x5b 0 8M"
capture domjob-info-none v domjobinfo "$dom" --rawstats

# A full backup with checkpoint full1, then its outcome.
mkdir -p "$dir/b1"
backup_xml "$x/b1.xml" "" "vda=$dir/b1/vda.qcow2" "vdb=$dir/b1/vdb.qcow2"
v backup-begin "$dom" --backupxml "$x/b1.xml" --checkpointxml "$x/full1.xml" >/dev/null
wait_job
capture domjob-info-completed v domjobinfo "$dom" --completed --keep-completed --rawstats

# Writes since full1: 3 MiB on vda, 1 MiB on vdb; then an incremental of vda with checkpoint delta1.
guest_write 0 "write -P 0x61 100M 3M"
guest_write 1 "write -P 0x62 20M 1M"
capture checkpoint-dumpxml-size v checkpoint-dumpxml "$dom" full1 --size --no-domain
capture checkpoint-dumpxml-full v checkpoint-dumpxml "$dom" full1
mkdir -p "$dir/b2"
backup_xml "$x/b2.xml" full1 "vda=$dir/b2/vda.qcow2" vdb=no
checkpoint_xml "$x/delta1.xml" delta1 vda=bitmap vdb=no
v backup-begin "$dom" --backupxml "$x/b2.xml" --checkpointxml "$x/delta1.xml" >/dev/null
wait_job
capture domjob-info-completed-incremental v domjobinfo "$dom" --completed --keep-completed --rawstats
capture checkpoint-dumpxml-child v checkpoint-dumpxml "$dom" delta1 --size --no-domain
# Alphabetical and topological order differ: delta1 < full1, but full1 is delta1's parent.
capture checkpoint-list-names v checkpoint-list "$dom" --name
capture checkpoint-list-topological v checkpoint-list "$dom" --name --topological

# Refusals.
capture checkpoint-not-found v checkpoint-dumpxml "$dom" no-such-checkpoint
capture checkpoint-delete-not-found v checkpoint-delete "$dom" no-such-checkpoint
capture checkpoint-exists v checkpoint-create "$dom" --xmlfile "$x/full1.xml"
capture checkpoint-list-no-domain v checkpoint-list no-such-domain --name
mkdir -p "$dir/b3"
backup_xml "$x/b3.xml" "" "vda=$dir/b3/vda.qcow2" vdb=no
capture backup-begin-checkpoint-exists v backup-begin "$dom" --backupxml "$x/b3.xml" --checkpointxml "$x/full1.xml"
capture backup-begin-target-exists v backup-begin "$dom" --backupxml "$x/b1.xml"
backup_xml "$x/missing.xml" no-such-checkpoint "vda=$dir/b3/vda.qcow2" vdb=no
capture backup-begin-incremental-checkpoint-missing v backup-begin "$dom" --backupxml "$x/missing.xml"
backup_xml "$x/nodisk.xml" "" "vdz=$dir/b3/vdz.qcow2"
capture backup-begin-no-such-disk v backup-begin "$dom" --backupxml "$x/nodisk.xml"
backup_xml "$x/nodir.xml" "" "vda=$dir/no-such-dir/vda.qcow2" vdb=no
capture backup-begin-directory-missing v backup-begin "$dom" --backupxml "$x/nodir.xml"

# A running backup (throttled to 1 MiB/s), a second one refused after libvirt's 30 s lock wait,
# then domjobabort: the job ends cancelled.
checkpoint_xml "$x/aborted1.xml" aborted1 vda=bitmap vdb=no
v backup-begin "$dom" --backupxml "$x/b3.xml" --checkpointxml "$x/aborted1.xml" >/dev/null
slow_backup 1048576
capture domjob-info-running v domjobinfo "$dom" --rawstats
grep -q '^Job type: 2' "$out/domjob-info-running.stdout" || echo "warning: the backup ended before it was throttled" >&2
mkdir -p "$dir/b4"
backup_xml "$x/b4.xml" "" "vda=$dir/b4/vda.qcow2" vdb=no
capture backup-begin-job-active v backup-begin "$dom" --backupxml "$x/b4.xml"
v domjobabort "$dom"
wait_job
capture domjob-info-cancelled v domjobinfo "$dom" --completed --keep-completed --rawstats
v checkpoint-delete "$dom" aborted1

# A backup into a full file system fails.
backup_xml "$x/full.xml" "" vda=no "vdb=$dir/full/vdb.qcow2"
v backup-begin "$dom" --backupxml "$x/full.xml" >/dev/null
wait_job
capture domjob-info-failed v domjobinfo "$dom" --completed --keep-completed --rawstats

# delta1's bitmap removed from vda behind libvirt's back (domain shut off), then started again.
v destroy "$dom" >/dev/null 2>&1
qemu-img bitmap --remove "$dir/vda.qcow2" delta1
v start "$dom" >/dev/null
capture checkpoint-dumpxml-size-bitmap-missing v checkpoint-dumpxml "$dom" delta1 --size --no-domain
mkdir -p "$dir/b5"
backup_xml "$x/b5.xml" delta1 "vda=$dir/b5/vda.qcow2" vdb=no
capture backup-begin-bitmap-missing v backup-begin "$dom" --backupxml "$x/b5.xml"
capture checkpoint-delete-bitmap-missing v checkpoint-delete "$dom" delta1
v checkpoint-delete "$dom" delta1 --metadata

# The domain stops while a backup runs: domjobinfo refuses, --completed still answers.
mkdir -p "$dir/b6"
backup_xml "$x/b6.xml" "" "vda=$dir/b6/vda.qcow2" vdb=no
v backup-begin "$dom" --backupxml "$x/b6.xml" >/dev/null
slow_backup 1048576
v destroy "$dom" >/dev/null
capture domjob-info-shutoff v domjobinfo "$dom" --rawstats
capture domjob-info-cancelled-domain-stopped v domjobinfo "$dom" --completed --keep-completed --rawstats
capture checkpoint-delete-shutoff v checkpoint-delete "$dom" full1
capture checkpoint-dumpxml-size-shutoff v checkpoint-dumpxml "$dom" full1 --size --no-domain
echo "fixtures written to $out"
