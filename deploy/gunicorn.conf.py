"""gunicorn for production: `make serve-prod` (or `gunicorn eprovince.wsgi -c deploy/gunicorn.conf.py`).

One worker process per core (measured in docs/performance.md: more processes than cores made the slowest 5 %
of requests twice as slow, without more throughput); threads serve concurrent clients while a request waits on the
database."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
keepalive = 5
timeout = 30
graceful_timeout = 20
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
preload_app = True
accesslog = os.environ.get("ACCESS_LOG", None)
errorlog = "-"
# gunicorn's runtime control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), so two servers on
# one machine (two instances, the two-node test) would fight over it; nothing here uses `gunicornc`.
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET", "0") != "1"
