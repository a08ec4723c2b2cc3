"""mkdir-both.py DIR: create DIR/via-mkdir with mkdir(2) and DIR/via-mkdirat
with mkdirat(2) (os.mkdir with dir_fd), and print each outcome with its errno
name, e.g. "mkdirat: EPERM (Operation not permitted)"."""
import errno
import os
import sys

d = sys.argv[1]
def report(name, fn):
    try:
        fn()
        print(name + ": ok", flush=True)
    except OSError as e:
        print("%s: %s (%s)" % (name, errno.errorcode[e.errno], e.strerror), flush=True)

report("mkdir", lambda: os.mkdir(os.path.join(d, "via-mkdir")))
fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
report("mkdirat", lambda: os.mkdir("via-mkdirat", dir_fd=fd))
