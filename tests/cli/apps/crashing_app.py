"""A web stand-in that prints a few lines and crashes, as Django does on a broken settings module."""

import sys

print("booting", flush=True)
print("Traceback (most recent call last):", flush=True)
print("ImproperlyConfigured: fixture settings are broken", flush=True)
sys.exit(3)
