#!/usr/bin/env bash
# Install the Debian packages polc needs to build and test. Idempotent: only
# packages that are missing are installed, and apt-get update runs only then.
set -euo pipefail

pkgs=(
  build-essential cmake ninja-build pkg-config
  antlr4 libantlr4-runtime-dev        # grammar tool (4.7.2) and C++ runtime (4.9)
  libseccomp-dev seccomp              # syscall resolution, BPF/PFC export; scmp_sys_resolver
  llvm-14-dev llvm-14-tools           # Support/ADT, lit, FileCheck
  libgtest-dev googletest             # unit tests
  apparmor                            # apparmor_parser: the real AppArmor validator
  bubblewrap                          # bwrap --seccomp: the kernel enforces our BPF
  runc crun                           # OCI runtimes: run containers under our linux.seccomp JSON
  podman                              # Docker-format profile consumer (--security-opt seccomp=);
                                      # root, --network none, vfs: no uidmap/slirp4netns/fuse-overlayfs
  python3 python3-jsonschema          # OCI schema validation
  jq                                  # examples/cli-tool.pol's program, run live under its filter
  clang-14 libclang-rt-14-dev         # fuzz/: libFuzzer and the sanitizer runtimes for clang
  llvm-14                             # llvm-symbolizer: sanitizer reports with file:line
  systemd                             # systemd-analyze syscall-filter: the sets polc pins
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
