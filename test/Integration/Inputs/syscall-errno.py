"""syscall-errno.py NAME=NR...: make each raw x86_64 syscall NR with all six
arguments 0, and print "NAME: ok" or "NAME: " and strerror of the errno it
failed with, one line each. Used to see which errno a filter gives syscalls
that the policy never names (the default action, or a runtime's ENOSYS
stub). Only call syscalls that are harmless with zero arguments."""
import ctypes
import os
import sys

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
for arg in sys.argv[1:]:
    name, nr = arg.split("=")
    ctypes.set_errno(0)
    r = libc.syscall(int(nr), 0, 0, 0, 0, 0, 0)
    print("%s: %s" % (name, "ok" if r >= 0 else os.strerror(ctypes.get_errno())), flush=True)
