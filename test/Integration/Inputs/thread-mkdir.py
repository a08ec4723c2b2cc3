"""thread-mkdir.py DIR: call mkdir(DIR) from a second thread, then report
from the main thread whether it is still alive and the mkdir thread is gone.

Used to tell SECCOMP_RET_KILL_PROCESS (nothing is printed: the whole process
dies with SIGSYS) from SECCOMP_RET_KILL_THREAD (only the mkdir thread dies,
without unwinding, so the main thread must not join() it)."""
import os
import sys
import threading
import time

path = sys.argv[1]
threading.Thread(target=os.mkdir, args=(path,), daemon=True).start()
# The mkdir thread is gone when /proc/self/task is back to one entry.
deadline = time.monotonic() + 5
while len(os.listdir("/proc/self/task")) > 1 and time.monotonic() < deadline:
    time.sleep(0.01)
print("main thread alive; threads left: %d; dir exists: %s"
      % (len(os.listdir("/proc/self/task")), os.path.isdir(path)), flush=True)
os._exit(0)
