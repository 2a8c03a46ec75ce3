"""A codegen stand-in that crashes on its first run and works afterwards (a run counter lives in cwd)."""

import pathlib
import sys
import time

counter = pathlib.Path("codegen-runs.txt")
runs = int(counter.read_text()) + 1 if counter.exists() else 1
counter.write_text(str(runs))
if runs == 1:
    print("codegen: boom, first run fails", flush=True)
    sys.exit(2)
print("client generated in 0.01 s", flush=True)
while True:
    time.sleep(1)
