"""A tiny web server for supervisor tests: serves a page on the port named by the env var in argv[1]."""

import http.server
import os
import sys

port = int(os.environ[sys.argv[1]])


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"<h1>fixture {sys.argv[1]}</h1>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        print("request", self.path, flush=True)


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
print(f"listening on {port}", flush=True)
server.serve_forever()
