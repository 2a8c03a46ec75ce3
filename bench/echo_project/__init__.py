"""A minimal Django project serving the same `echo` three ways, for bench/echo_rps.py."""
