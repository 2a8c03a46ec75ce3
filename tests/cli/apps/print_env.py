"""Prints the environment variables named on the command line, then idles (what `up` handed the process)."""

import os
import sys
import time

for name in sys.argv[1:]:
    print(f"{name}={os.environ.get(name, '')}", flush=True)
while True:
    time.sleep(1)
