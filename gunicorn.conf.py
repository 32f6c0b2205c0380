"""gunicorn settings for `bin/serve` and production.

The access log keeps method, path, status, size and duration: no client address, no user agent,
no query string, no referrer (the default format has all four).
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:5000")
# One process with threads: the embedded default keeps rate limits in memory, which is per process.
# With REPORTING_RATELIMIT_STORAGE_URI=redis://... raise GUNICORN_WORKERS freely.
workers = int(os.environ.get("GUNICORN_WORKERS", "1"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
