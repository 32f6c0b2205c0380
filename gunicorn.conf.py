"""gunicorn settings for `bin/serve` and production.

The access log keeps method, route, status, size and duration: no client address, no user agent,
no query string, no referrer (the default format has all four). The route is the pattern
(`/r/<token>`), never a poster's token, and the residents' routes keep the day, not the time.
"""
import os
import time

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:5000")
# One process with threads: the embedded default keeps rate limits in memory, which is per process.
# With REPORTING_RATELIMIT_STORAGE_URI=redis://... raise GUNICORN_WORKERS freely.
workers = int(os.environ.get("GUNICORN_WORKERS", "1"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class RouteLogger(Logger):
    """Fills `%(U)s` with the route the app matched (see reporting.security.note_route), not the path."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = environ.get("reporting.route", "-")
        if environ.get("reporting.public"):
            atoms["t"] = time.strftime("[%d/%b/%Y]", time.gmtime())
        return atoms


logger_class = RouteLogger


def worker_exit(server, worker):
    """The scans a worker still holds (the embedded default buffers them in the process) go to the database."""
    from reporting.scans import flush
    from wsgi import app

    with app.app_context():
        flush()
