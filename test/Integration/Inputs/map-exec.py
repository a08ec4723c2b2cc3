#!/usr/bin/env python3
# Maps anonymous memory read+exec, then write+exec, then read+write, and
# prints what each mmap returned.
import mmap

for name, prot in (("rx", mmap.PROT_READ | mmap.PROT_EXEC),
                   ("wx", mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC),
                   ("rw", mmap.PROT_READ | mmap.PROT_WRITE)):
    try:
        mmap.mmap(-1, 4096, prot=prot).close()
        print(f"{name}: ok", flush=True)
    except OSError as e:
        print(f"{name}: {e.strerror}", flush=True)
