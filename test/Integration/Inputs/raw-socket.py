"""raw-socket.py DOMAIN...: calls socket(2) directly (x86_64: syscall 41) with
each DOMAIN as the full 64-bit register value (hex allowed), type
SOCK_STREAM, and prints 'DOMAIN: ok' or 'DOMAIN: <strerror>'. The kernel reads
only the low 32 bits of the domain, so 0x100000002 is AF_INET to it."""
import ctypes
import os
import sys

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
for arg in sys.argv[1:]:
    fd = libc.syscall(ctypes.c_long(41), ctypes.c_long(int(arg, 0)),
                      ctypes.c_long(1), ctypes.c_long(0))
    if fd >= 0:
        os.close(fd)
        print(f"{arg}: ok")
    else:
        print(f"{arg}: {os.strerror(ctypes.get_errno())}")
