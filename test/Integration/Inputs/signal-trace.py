"""signal-trace.py: signal itself (kill with signal 0, which only checks
permission), then try to PTRACE_ATTACH to a child it forked, and print what
each got: "kill: ok", "ptrace: ok" or the errno's name."""
import ctypes
import errno
import os
import time

def name(e):
    return errno.errorcode.get(e, e)

try:
    os.kill(os.getpid(), 0)
    print("kill: ok", flush=True)
except OSError as e:
    print("kill:", name(e.errno), flush=True)

child = os.fork()
if child == 0:
    time.sleep(1)
    os._exit(0)
libc = ctypes.CDLL(None, use_errno=True)
PTRACE_ATTACH, PTRACE_DETACH = 16, 17
if libc.ptrace(PTRACE_ATTACH, child, None, None) == -1:
    print("ptrace:", name(ctypes.get_errno()), flush=True)
else:
    os.waitpid(child, 0)  # the attach stop
    libc.ptrace(PTRACE_DETACH, child, None, None)
    print("ptrace: ok", flush=True)
os.waitpid(child, 0)
