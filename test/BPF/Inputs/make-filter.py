"""make-filter.py OUT.bpf NR=RET...: write a raw seccomp filter (x86_64,
little-endian) that returns RET for syscall NR and SECCOMP_RET_ALLOW for
every other call: load nr, then for each pair `jeq NR, 0, 1; ret RET`.
Numbers are decimal or 0x hex. For actions polc never emits (errno values
above 4095, action values the kernel does not know)."""
import struct
import sys

LD_W_ABS, JEQ_K, RET_K = 0x20, 0x15, 0x06
ALLOW = 0x7FFF0000

prog = [(LD_W_ABS, 0, 0, 0)]
for pair in sys.argv[2:]:
    nr, ret = (int(x, 0) for x in pair.split("="))
    prog += [(JEQ_K, 0, 1, nr), (RET_K, 0, 0, ret)]
prog.append((RET_K, 0, 0, ALLOW))
with open(sys.argv[1], "wb") as f:
    for code, jt, jf, k in prog:
        f.write(struct.pack("<HBBI", code, jt, jf, k))
