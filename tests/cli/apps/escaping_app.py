"""Starts a grandchild that leaves the process group (setsid), keeps our stdout pipe and listens on a port.

It writes the grandchild's pid and port to `escapee.txt`, then idles, so a test can check that stopping the
stack ends the grandchild too and leaves its port closed.
"""

import os
import socket
import subprocess
import sys
import time

if len(sys.argv) > 1 and sys.argv[1] == "grandchild":
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    # The file is complete before the line is printed (the test reads it on seeing the line): write, then rename.
    with open("escapee.txt.partial", "w") as f:
        f.write(f"{os.getpid()} {port}\n")
    os.replace("escapee.txt.partial", "escapee.txt")
    print(f"grandchild listening on {port}", flush=True)
    while True:
        time.sleep(1)

subprocess.Popen([sys.executable, __file__, "grandchild"], start_new_session=True)
print("spawned an escaping grandchild", flush=True)
while True:
    time.sleep(1)
