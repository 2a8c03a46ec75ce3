"""A Vite stand-in: serves on MIZAN_VITE_PORT and, like Vite's keyboard shortcuts, reads stdin when it is a
terminal and exits (code 0) when that input ends."""

import http.server
import os
import sys
import threading

port = int(os.environ["MIZAN_VITE_PORT"])
try:
    where = os.readlink("/proc/self/fd/0")
except OSError:
    where = "unknown"
print(f"stdin is {where} (a terminal: {sys.stdin.isatty()})", flush=True)

if sys.stdin.isatty():

    def shortcuts() -> None:
        for _line in sys.stdin:
            pass
        print("stdin ended; exiting like Vite does", flush=True)
        os._exit(0)

    threading.Thread(target=shortcuts, daemon=True).start()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"vite")

    def log_message(self, format: str, *args: object) -> None:
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
print(f"listening on {port}", flush=True)
server.serve_forever()
