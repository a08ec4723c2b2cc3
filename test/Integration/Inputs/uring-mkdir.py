"""uring-mkdir.py DIR: create DIR with io_uring (IORING_OP_MKDIRAT) without
ever calling mkdir(2) or mkdirat(2). io_uring operations do not pass through
seccomp (pitfalls S23): only denying io_uring_setup/enter/register stops
this. Prints "io_uring mkdirat: ok" and exits 0 when DIR was created, else
prints which step failed and why, and exits 1. x86_64 only (needs 5.15+)."""
import ctypes
import mmap
import os
import struct
import sys

NR_io_uring_setup, NR_io_uring_enter = 425, 426   # x86_64
IORING_OFF_SQ_RING, IORING_OFF_CQ_RING, IORING_OFF_SQES = 0, 0x8000000, 0x10000000
IORING_FEAT_SINGLE_MMAP = 1
IORING_ENTER_GETEVENTS = 1
IORING_OP_MKDIRAT = 37
AT_FDCWD = -100

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long

def fail(step, err):
    print("%s: %s" % (step, os.strerror(err)), flush=True)
    sys.exit(1)

# struct io_uring_params: 7 u32 fields and resv[3], then io_sqring_offsets
# at 40 and io_cqring_offsets at 80 (120 bytes in all).
params = ctypes.create_string_buffer(120)
ring = libc.syscall(NR_io_uring_setup, 4, params)
if ring < 0:
    fail("io_uring_setup", ctypes.get_errno())
sq_entries, cq_entries, _, _, _, features, _ = struct.unpack_from("7I", params, 0)
sq_head, sq_tail, sq_mask, _, _, _, sq_array = struct.unpack_from("7I", params, 40)
cq_head, _, cq_mask, _, _, cqes = struct.unpack_from("6I", params, 80)

rw = mmap.PROT_READ | mmap.PROT_WRITE
sq = mmap.mmap(ring, max(sq_array + 4 * sq_entries, cqes + 16 * cq_entries),
               mmap.MAP_SHARED, rw, offset=IORING_OFF_SQ_RING)
cq = sq if features & IORING_FEAT_SINGLE_MMAP else mmap.mmap(
    ring, cqes + 16 * cq_entries, mmap.MAP_SHARED, rw, offset=IORING_OFF_CQ_RING)
sqes = mmap.mmap(ring, 64 * sq_entries, mmap.MAP_SHARED, rw, offset=IORING_OFF_SQES)

# One SQE: opcode, flags, ioprio, fd (the dirfd), off, addr (the path),
# len (the mode).
path = ctypes.create_string_buffer(os.fsencode(sys.argv[1]))
sqe = bytearray(64)
struct.pack_into("=BBHiQQI", sqe, 0, IORING_OP_MKDIRAT, 0, 0, AT_FDCWD, 0,
                 ctypes.addressof(path), 0o755)
sqes[0:64] = bytes(sqe)
tail = struct.unpack_from("I", sq, sq_tail)[0]
mask = struct.unpack_from("I", sq, sq_mask)[0]
struct.pack_into("I", sq, sq_array + 4 * (tail & mask), 0)
struct.pack_into("I", sq, sq_tail, tail + 1)

if libc.syscall(NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, None, 0) < 0:
    fail("io_uring_enter", ctypes.get_errno())
head = struct.unpack_from("I", cq, cq_head)[0]
cmask = struct.unpack_from("I", cq, cq_mask)[0]
_, res, _ = struct.unpack_from("QiI", cq, cqes + 16 * (head & cmask))
if res < 0:
    fail("io_uring mkdirat", -res)
print("io_uring mkdirat: ok", flush=True)
