#!/usr/bin/env bash
# Writes the described fixtures: hosts this project has no machine of, as the kernel would show them. Only the
# files the Auditor reads; device nodes and marker directories as empty files. Re-run after changing a host below.
# (this-machine is recorded from a real host by record.sh instead.)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=

# host NAME: start a fresh tree
host() { out="$here/$1"; rm -rf "$out"; mkdir -p "$out"; }
# put PATH TEXT...: a file holding the text, one argument per line
put() { local f="$out$1"; shift; mkdir -p "$(dirname "$f")"; printf '%s\n' "$@" > "$f"; }
# mark PATH...: empty files standing for device nodes or directories that exist
mark() { for p in "$@"; do mkdir -p "$(dirname "$out$p")"; : > "$out$p"; done; }

# cpu ID PACKAGE CORE SIBLINGS L3_CPUS: one logical CPU's topology, its L3 and its /proc/cpuinfo block
cpu() {
    local d=/sys/devices/system/cpu/cpu$1
    put $d/topology/physical_package_id "$2"
    put $d/topology/core_id "$3"
    put $d/topology/thread_siblings_list "$4"
    put $d/cache/index3/level 3
    put $d/cache/index3/shared_cpu_list "$5"
    printf 'processor\t: %s\nmodel name\t: %s\nphysical id\t: %s\ncore id\t\t: %s\nflags\t\t: %s\n\n' \
        "$1" "$model" "$2" "$3" "$flags" >> "$out/proc/cpuinfo"
}

# common LANDLOCK_ABI EUID TOOLS CONTROLLERS: a systemd host on pure cgroup v2, as every host below is
common() {
    mkdir -p "$out/proc"
    : > "$out/proc/cpuinfo"
    put /proc/self/mountinfo \
        "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot"
    put /sys/fs/cgroup/cgroup.controllers "$4"
    put /sys/fs/cgroup/system.slice/cpuset.cpus.partition member
    put /proc/filesystems $'nodev\tsysfs' $'nodev\tproc' $'nodev\tcgroup' $'nodev\tcgroup2' $'nodev\tfuse' $'\text4'
    put /proc/sys/user/max_user_namespaces 255741
    put /proc/sys/kernel/seccomp/actions_avail "kill_process kill_thread trap errno user_notif trace log allow"
    for p in cpu memory io; do
        put /proc/pressure/$p "some avg10=0.00 avg60=0.00 avg300=0.00 total=0"
    done
    mark /dev/kvm /dev/fuse
    put /probes.properties "landlock.abi=$1" "euid=$2" "tools=$3"
}

host intel-14900k
model="Intel(R) Core(TM) i9-14900K"; flags="fpu vme de pse tsc msr pae mce cx8 apic sep ht vmx avx2"
common 6 0 bwrap,libseccomp "cpuset cpu io memory hugetlb pids rdma misc"
for c in $(seq 0 15); do cpu $c 0 $(( c / 2 * 4 )) "$(( c / 2 * 2 ))-$(( c / 2 * 2 + 1 ))" 0-31; done
for c in $(seq 16 31); do cpu $c 0 $(( 32 + c - 16 )) $c 0-31; done
put /sys/devices/system/cpu/online 0-31
put /sys/devices/system/node/node0/cpulist 0-31
put /sys/devices/cpu_core/cpus 0-15
put /sys/devices/cpu_atom/cpus 16-31
put /proc/meminfo "MemTotal:       65574736 kB"
mark /dev/tpmrm0 /sys/class/iommu/dmar0 /sys/class/iommu/dmar1

host ryzen-7950x
model="AMD Ryzen 9 7950X 16-Core Processor"; flags="fpu vme de pse tsc msr pae mce cx8 apic sep ht svm avx2 cat_l3"
common 6 0 bwrap,libseccomp "cpuset cpu io memory hugetlb pids rdma misc"
for c in $(seq 0 31); do
    core=$(( c % 16 ))
    if [ $core -lt 8 ]; then l3=0-7,16-23; else l3=8-15,24-31; fi
    cpu $c 0 $core "$core,$(( core + 16 ))" $l3
done
put /sys/devices/system/cpu/online 0-31
put /sys/devices/system/node/node0/cpulist 0-31
put /proc/meminfo "MemTotal:       65538000 kB"
printf 'nodev\tresctrl\n' >> "$out/proc/filesystems"
echo "36 24 0:31 / /sys/fs/resctrl rw,relatime shared:10 - resctrl resctrl rw" >> "$out/proc/self/mountinfo"
mark /sys/fs/resctrl/info/L3 /dev/tpmrm0 /sys/class/iommu/ivhd0

host xeon-2s-128g
model="Intel(R) Xeon(R) Gold 6346 CPU @ 3.10GHz"; flags="fpu vme de pse tsc msr pae mce cx8 apic sep ht vmx avx512f"
common 6 0 bwrap,libseccomp "cpuset cpu io memory hugetlb pids rdma misc"
for c in $(seq 0 63); do
    first=$(( c % 32 )); pkg=$(( first / 16 ))
    if [ $pkg -eq 0 ]; then l3=0-15,32-47; else l3=16-31,48-63; fi
    cpu $c $pkg $(( first % 16 )) "$first,$(( first + 32 ))" $l3
done
put /sys/devices/system/cpu/online 0-63
put /sys/devices/system/node/node0/cpulist 0-15,32-47
put /sys/devices/system/node/node1/cpulist 16-31,48-63
put /proc/meminfo "MemTotal:       131731048 kB"
mark /dev/tpmrm0 /sys/class/iommu/dmar0 /sys/class/iommu/dmar1 /sys/class/iommu/dmar2 /sys/class/iommu/dmar3

# A user's laptop: not root, an older kernel (Landlock ABI 3), no IOMMU enabled in its firmware.
host laptop-8th-gen
model="Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz"; flags="fpu vme de pse tsc msr pae mce cx8 apic sep ht vmx avx2"
common 3 1000 bwrap,libseccomp "cpuset cpu io memory pids"
for c in $(seq 0 7); do cpu $c 0 $(( c % 4 )) "$(( c % 4 )),$(( c % 4 + 4 ))" 0-7; done
put /sys/devices/system/cpu/online 0-7
put /sys/devices/system/node/node0/cpulist 0-7
put /proc/meminfo "MemTotal:        7994632 kB"
mark /dev/tpmrm0
echo "closed=/dev/tpmrm0" >> "$out/probes.properties" # root:tss 0660, and the user is not in tss

echo "wrote intel-14900k ryzen-7950x xeon-2s-128g laptop-8th-gen under $here"
