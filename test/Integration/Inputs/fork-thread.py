#!/usr/bin/env python3
# Starts a thread, then forks, and prints what each did.
import os, threading

try:
    t = threading.Thread(target=lambda: None)
    t.start()
    t.join()
    print("thread: ok", flush=True)
except RuntimeError as e:
    print(f"thread: {e}", flush=True)
try:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    print("fork: ok", flush=True)
except OSError as e:
    print(f"fork: {e.strerror}", flush=True)
