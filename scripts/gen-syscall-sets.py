#!/usr/bin/env python3
"""Writes include/polc/KB/SyscallSets.def from `systemd-analyze syscall-filter`.

Run by hand when a set is to change, never by the build: the sets are pinned
data (docs/syscall-sets.md). Each set's VERSION starts at 1; the script keeps
the version of a set whose content is unchanged and bumps it otherwise, and
writes the FNV-1a checksum of the expanded, sorted member list, which
unittests/KB/SyscallSetsTest.cpp recomputes, so that an edit of the .def that
does not go through here fails the tests.

Left out: @known (the running kernel's own list, not a fixed set) and names
libseccomp 2.5.4 does not know (DROPPED below), which polc could not resolve.
"""
import re
import subprocess
import sys

DEF = "include/polc/KB/SyscallSets.def"
# Names systemd 252 lists that libseccomp 2.5.4 (and so polc) does not know.
DROPPED = {"riscv_hwprobe", "uretprobe"}
SKIPPED_SETS = {"@known"}


def parse(text):
    sets, cur = {}, None
    for line in text.splitlines():
        if line.startswith("@"):
            cur = line.split("#")[0].strip()
            sets[cur] = {"desc": "", "members": []}
            continue
        s = line.strip()
        if not s or cur is None:
            continue
        if s.startswith("#"):
            sets[cur]["desc"] = sets[cur]["desc"] or s[1:].strip()
            continue
        sets[cur]["members"].append(s.split("#")[0].strip())
    return {k: v for k, v in sets.items() if k not in SKIPPED_SETS}


def expand(sets, name, seen=None):
    seen = set() if seen is None else seen
    out = set()
    for m in sets[name]["members"]:
        if m.startswith("@"):
            if m not in seen:
                seen.add(m)
                out |= expand(sets, m, seen)
        elif m not in DROPPED:
            out.add(m)
    return out


def fnv1a(text):
    h = 0xcbf29ce484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def old_entries():
    try:
        text = open(DEF).read()
    except OSError:
        return {}
    return {m.group(1): (int(m.group(2)), int(m.group(3), 16)) for m in re.finditer(
        r'SET\("(@[a-z0-9-]+)", (\d+),.*?0x([0-9a-f]+)\)', text, re.S)}


def main():
    out = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager"],
                         capture_output=True, text=True, check=True).stdout
    version = subprocess.run(["systemd-analyze", "--version"], capture_output=True,
                             text=True).stdout.split("\n")[0]
    sets = parse(out)
    old = old_entries()
    lines = [
        "//===- SyscallSets.def - pinned syscall sets (@name) -----*- C++ -*-===//",
        "//",
        "// SET(NAME, VERSION, DESCRIPTION, MEMBERS, CHECKSUM)",
        "//",
        "// Written by scripts/gen-syscall-sets.py from `systemd-analyze",
        f"// syscall-filter` of {version}; do not edit by hand. MEMBERS",
        "// are syscall names and other sets (@name), as systemd lists them.",
        "// CHECKSUM is the FNV-1a hash of the expanded members, sorted and",
        "// joined by single spaces; unittests/KB/SyscallSetsTest.cpp recomputes",
        "// it, so a set never changes without its VERSION changing.",
        "//",
        "//===----------------------------------------------------------------===//",
        "#ifndef SET",
        "#define SET(NAME, VERSION, DESCRIPTION, MEMBERS, CHECKSUM)",
        "#endif",
        "",
    ]
    for name in sorted(sets):
        members = [m for m in sets[name]["members"] if m not in DROPPED]
        expanded = " ".join(sorted(expand(sets, name)))
        h = fnv1a(expanded)
        v = old.get(name, (0, None))
        ver = v[0] if v[1] == h else v[0] + 1
        body, cur = [], '    "'
        for m in members:
            if len(cur) + len(m) + 2 > 78:
                body.append(cur + '"')
                cur = '    "'
            cur += m + " "
        body.append(cur.rstrip() + '"')
        desc = sets[name]["desc"].replace('"', '\\"')
        lines.append(f'SET("{name}", {ver}, "{desc}",')
        lines.append("\n".join(body) + ",")
        lines.append(f"    0x{h:016x})")
    lines += ["", "#undef SET", ""]
    open(DEF, "w").write("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
