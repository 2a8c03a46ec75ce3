"""uvicorn --reload in small: a reloader that starts a worker (same process group) serving MIZAN_WEB_PORT.

The worker answers with its pid. Killing the reloader alone leaves the worker serving, an orphan: the test
checks the supervisor stops it before starting the web again. The reloader's pid is in reloader.pid.
"""

import http.server
import os
import subprocess
import sys
import time

if len(sys.argv) > 1 and sys.argv[1] == "worker":
    port = int(os.environ["MIZAN_WEB_PORT"])

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = f"worker {os.getpid()}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    http.server.HTTPServer.allow_reuse_address = True
    server = http.server.HTTPServer(("127.0.0.1", port), Handler)
    print(f"worker {os.getpid()} listening on {port}", flush=True)
    server.serve_forever()

worker = subprocess.Popen([sys.executable, __file__, "worker"])
with open("reloader.pid.partial", "w") as f:
    f.write(f"{os.getpid()} {worker.pid}\n")
os.replace("reloader.pid.partial", "reloader.pid")
print(f"reloader {os.getpid()} started worker {worker.pid}", flush=True)
while True:
    time.sleep(1)
