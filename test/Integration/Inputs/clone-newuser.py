#!/usr/bin/env python3
# Creates a user namespace with unshare(2), then with clone(2)'s
# CLONE_NEWUSER flag (the raw syscall, x86_64 argument order), and prints
# what each returned.
import ctypes, errno, os

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER = 0x10000000
SIGCHLD = 17
SYS_clone, SYS_unshare = 56, 272

def report(name, rc):
    if rc < 0:
        e = ctypes.get_errno()
        print(f"{name}: {errno.errorcode[e]}", flush=True)
    else:
        print(f"{name}: ok", flush=True)

pid = os.fork()
if pid == 0:
    report("unshare", libc.syscall(SYS_unshare, CLONE_NEWUSER))
    os._exit(0)
os.waitpid(pid, 0)
rc = libc.syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)
if rc == 0:
    os._exit(0)
report("clone", rc)
if rc > 0:
    os.waitpid(rc, 0)
# A plain fork still works.
rc = libc.syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0)
if rc == 0:
    os._exit(0)
report("fork", rc)
if rc > 0:
    os.waitpid(rc, 0)
