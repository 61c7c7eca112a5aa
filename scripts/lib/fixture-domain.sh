# Sourced by the capture scripts: the XML of the small TCG domain they capture real tool output with.

# fixture_domain_xml NAME TARGET=FILE...  prints a domain (64 MiB, one vCPU, no OS) with one
# virtio qcow2 file disk per TARGET=FILE argument.
fixture_domain_xml() {
  local name=$1 disk
  shift
  printf "<domain type='qemu'>\n  <name>%s</name>\n  <memory unit='MiB'>64</memory>\n  <vcpu>1</vcpu>\n" "$name"
  printf "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n  <devices>\n"
  for disk in "$@"; do
    printf "    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n"
    printf "      <source file='%s'/>\n      <target dev='%s' bus='virtio'/>\n    </disk>\n" "${disk#*=}" "${disk%%=*}"
  done
  printf "  </devices>\n</domain>\n"
}
