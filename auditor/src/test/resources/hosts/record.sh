#!/usr/bin/env bash
# Records the files the Auditor reads on this host into hosts/NAME/ (default: this-machine), so that a test can
# audit the host later exactly as it was. Device nodes and marker directories become empty files; facts that are
# not files (Landlock ABI, euid, host tools, a TPM this user cannot open) go to probes.properties, asked through
# HostView.live().
#
# Usage: auditor/src/test/resources/hosts/record.sh [NAME]
# Needs the system and auditor classes built: ./mvnw -B -q -pl auditor -am compile   (with JAVA_HOME on Java 25);
# ATOMIC_CLASSES overrides where they are.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
main=$(cd "$here/../../../../.." && pwd)
out="$here/${1:-this-machine}"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"

rm -rf "$out"
mkdir -p "$out"

# copy PATH [grep -E pattern]: the file's text (only matching lines when a pattern is given), if readable
copy() {
    [ -r "$1" ] && [ -f "$1" ] || return 0
    mkdir -p "$out$(dirname "$1")"
    if [ $# -gt 1 ]; then grep -E "$2" "$1" > "$out$1" || true; else cat "$1" > "$out$1"; fi
}
# mark PATH: an empty file standing for a device node or directory that exists
mark() {
    [ -e "$1" ] || return 0
    mkdir -p "$out$(dirname "$1")"
    touch "$out$1"
}

copy /proc/cpuinfo '^(processor|model name|physical id|core id|flags)[[:space:]]*:|^$'
copy /proc/meminfo '^MemTotal:'
copy /proc/self/mountinfo ' - (cgroup|cgroup2|resctrl) '
copy /proc/filesystems
copy /proc/sys/user/max_user_namespaces
copy /proc/sys/kernel/unprivileged_userns_clone
copy /proc/sys/kernel/seccomp/actions_avail
for p in cpu memory io; do copy /proc/pressure/$p; done

copy /sys/devices/system/cpu/online
for cpu in /sys/devices/system/cpu/cpu[0-9]*; do
    for f in core_id physical_package_id thread_siblings_list; do copy "$cpu/topology/$f"; done
    for index in "$cpu"/cache/index*; do copy "$index/level"; copy "$index/shared_cpu_list"; done
done
for node in /sys/devices/system/node/node[0-9]*; do copy "$node/cpulist"; done
copy /sys/devices/cpu_core/cpus
copy /sys/devices/cpu_atom/cpus

unified=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break } }' \
    /proc/self/mountinfo | head -n 1)
if [ -n "$unified" ]; then
    copy "$unified/cgroup.controllers"
    for child in "$unified"/*/; do mark "${child%/}/cpuset.cpus.partition"; done
fi

for m in /dev/kvm /dev/tpmrm0 /dev/fuse /sys/module/kvm_pvm /sys/fs/resctrl/info/L3 /sys/class/iommu/*; do
    mark "$m"
done

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
cat > "$probe/Probe.java" <<'JAVA'
import dev.atomic.auditor.HostView;
import java.util.List;
import java.util.stream.Collectors;

public class Probe {
    public static void main(String[] args) {
        HostView host = HostView.live();
        System.out.println("landlock.abi=" + host.landlockAbi());
        System.out.println("tools=" + List.of(HostView.BUBBLEWRAP, HostView.LIBSECCOMP).stream()
                .filter(host::toolPresent).collect(Collectors.joining(",")));
    }
}
JAVA
{
    echo "# Recorded by record.sh on $(date -u +%Y-%m-%d) from $(uname -r)"
    echo "euid=$(id -u)"
    [ ! -e /dev/tpmrm0 ] || { [ -r /dev/tpmrm0 ] && [ -w /dev/tpmrm0 ]; } || echo "closed=/dev/tpmrm0"
    "$java" --enable-native-access=ALL-UNNAMED \
        -cp "${ATOMIC_CLASSES:-$main/system/target/classes:$main/auditor/target/classes}" \
        "$probe/Probe.java"
} > "$out/probes.properties"
echo "recorded $(find "$out" -type f | wc -l) files into $out"
