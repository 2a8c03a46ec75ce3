"""`tsc --noEmit --watch --preserveWatchOutput --pretty false` in small: one check with N errors (argv[1])."""

import sys
import time

errors = int(sys.argv[1])
print("12:00:00 - Starting compilation in watch mode...", flush=True)
for n in range(errors):
    print(f"frontend/src/App.tsx({n + 3},5): error TS2322: Type 'number' is not assignable to type 'string'.")
print(f"12:00:01 - Found {errors} error{'s' if errors != 1 else ''}. Watching for file changes.", flush=True)
while True:
    time.sleep(1)
