"""A codegen stand-in: says it generated, then idles."""

import time

print("client generated in 0.01 s", flush=True)
while True:
    time.sleep(1)
