"""pidfd-open.py: call pidfd_open(2) (Linux 5.3) on itself and print what
happened: "pidfd_open: ok", or the errno's name (EPERM, ENOSYS, ...)."""
import errno
import os

try:
    os.close(os.pidfd_open(os.getpid()))
    print("pidfd_open: ok", flush=True)
except OSError as e:
    print("pidfd_open:", errno.errorcode.get(e.errno, e.errno), flush=True)
