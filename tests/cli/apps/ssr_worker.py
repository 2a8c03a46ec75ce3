"""Stands in for the Bun SSR worker: listens on MIZAN_SSR_ADDRESS (host:port) and prints the worker's ready line."""

import os
import socket
import time

host, port = os.environ["MIZAN_SSR_ADDRESS"].rsplit(":", 1)
server = socket.create_server((host, int(port)))
print(f"mizan-ssr: listening on {host}:{port} (fixture)", flush=True)
while True:
    time.sleep(1)
