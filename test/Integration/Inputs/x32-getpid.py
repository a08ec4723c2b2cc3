"""x32-getpid.py: call getpid through syscall(2), first with its x86_64 number
(39), then with the x32 number (39 | __X32_SYSCALL_BIT). An x32 call arrives
with AUDIT_ARCH_X86_64 too, so only a filter that rejects nr >= 0x40000000 in
its x86_64 section stops it (pitfalls S2); polc's filter kills it (bad-arch
action). Unfiltered on a kernel without x32 the call returns ENOSYS."""
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
print("x86_64 getpid:", "ok" if libc.syscall(39) == os.getpid() else "wrong", flush=True)
r = libc.syscall(0x40000000 | 39)
print("x32 getpid returned", r, os.strerror(ctypes.get_errno()) if r < 0 else "", flush=True)
