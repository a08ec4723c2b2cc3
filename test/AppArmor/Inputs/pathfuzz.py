#!/usr/bin/env python3
"""Path fuzzing for the AppArmor backend (pitfalls A3).

Writes COUNT random byte strings (seeded, so a failure reproduces) as literal
paths into one policy, in polc's bare or quoted form with backslash escapes
for polc's special characters, and the same rules into a hand-made reference
profile where every byte after the leading '/' is an AppArmor octal escape
(\\NNN), which can only mean that byte. polc's profile must be accepted by
apparmor_parser and compile to the same policy (-S output hash) as the
reference. On a mismatch, the rules are compared one by one and the paths
that differ are printed.

usage: pathfuzz.py POLC AA_HASH OUTDIR SEED COUNT [--control]
  --control: change one byte of one reference path; the hashes must differ.
"""
import os
import random
import subprocess
import sys

POLC_SPECIAL = set(b'*?[]{}^@\\",')  # glob, escape, quote and list characters
# A bare path stops at these unless escaped (grammar/Policy.g4, PATH).
BARE_STOP = set(b' \t,"{}\\#')


def random_path(rng):
    # Printable ASCII and every byte from 0x80: control characters are
    # refused by polc (and tested elsewhere).
    alphabet = list(range(0x20, 0x7F)) + list(range(0x80, 0x100))
    n = rng.randint(1, 24)
    body = bytes(rng.choice(alphabet) for _ in range(n))
    return b"/" + body


def polc_spelling(path, rng):
    """The literal path in polc syntax: specials escaped, some other ASCII
    characters escaped at random (an escape makes any character literal)."""
    bare = rng.random() < 0.5
    out = bytearray()
    for i, c in enumerate(path):
        if i == 0:
            out.append(c)
            continue
        must = c in POLC_SPECIAL or (bare and c in BARE_STOP)
        # '#' needs no escape in a path, but escaping it is fine.
        maybe = c < 0x80 and rng.random() < 0.2
        if must or maybe:
            out.append(ord("\\"))
        out.append(c)
    if bare:
        return bytes(out)
    return b'"' + bytes(out) + b'"'


def octal_spelling(path):
    return b'"/' + b"".join(b"\\%03o" % c for c in path[1:]) + b'"'


def reference(paths):
    rules = b"".join(b"  " + octal_spelling(p) + b" r,\n" for p in paths)
    return (b"abi <abi/3.0>,\n\ninclude <tunables/global>\n\nprofile fuzz {\n"
            + rules + b"}\n")


def aa_hash(tool, path):
    return subprocess.run([tool, path], check=True,
                          stdout=subprocess.PIPE).stdout.strip()


def main():
    polc, tool, outdir, seed, count = sys.argv[1:6]
    control = "--control" in sys.argv[6:]
    rng = random.Random(int(seed))
    paths = []
    seen = set()
    while len(paths) < int(count):
        p = random_path(rng)
        if p not in seen:
            seen.add(p)
            paths.append(p)
    spellings = [polc_spelling(p, rng) for p in paths]
    os.makedirs(outdir, exist_ok=True)

    def compile_policy(name, spells):
        pol = os.path.join(outdir, name + ".pol")
        with open(pol, "wb") as f:
            f.write(b"policy fuzz {\n  default deny errno EPERM\n")
            for s in spells:
                f.write(b"  may read " + s + b"\n")
            f.write(b"}\n")
        out = os.path.join(outdir, name)
        r = subprocess.run([polc, "--emit=apparmor", "-q",
                            "-Wno-noncanonical-path", pol, "-o", out],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            sys.stdout.write(r.stderr.decode("utf-8", "backslashreplace"))
            sys.exit("polc failed on %s" % pol)
        return os.path.join(out, "fuzz.apparmor")

    def write_ref(name, ps):
        ref = os.path.join(outdir, name + ".apparmor")
        with open(ref, "wb") as f:
            f.write(reference(ps))
        return ref

    profile = compile_policy("all", spellings)
    ref_paths = list(paths)
    if control:
        # One byte of one path changed: a different path, a different hash.
        p = bytearray(ref_paths[0])
        p[-1] = p[-1] ^ 0x01 if p[-1] ^ 0x01 >= 0x20 and p[-1] ^ 0x01 != 0x7F else 0x41
        ref_paths[0] = bytes(p)
    ref = write_ref("ref", ref_paths)
    got, want = aa_hash(tool, profile), aa_hash(tool, ref)
    if control:
        print("control: %s" % ("differs" if got != want else "EQUAL"))
        return
    if got == want:
        print("%d paths: hash equal" % len(paths))
        return
    # Find the paths whose rules differ.
    bad = 0
    for i, (p, s) in enumerate(zip(paths, spellings)):
        one = compile_policy("one%d" % i, [s])
        if aa_hash(tool, one) != aa_hash(tool, write_ref("ref%d" % i, [p])):
            bad += 1
            print("MISMATCH path %r written %r" % (p, s))
    print("%d paths: %d differ" % (len(paths), bad))
    sys.exit(1)


if __name__ == "__main__":
    main()
