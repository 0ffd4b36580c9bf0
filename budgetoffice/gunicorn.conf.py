"""gunicorn settings for budgetoffice: `gunicorn -c budgetoffice/gunicorn.conf.py budgetoffice.wsgi`.

Every value can be changed from the environment (see docs/deployment.md), so that one file serves a laptop
rehearsal (scripts/production-local) and each app server behind the load balancer.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Synchronous workers: a request is a few database queries and some CPU (templates, workbooks), so the usual
# 2 × cores + 1 keeps the cores busy while some workers wait on PostgreSQL.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A large import preview takes about half a second and a workbook of a large department 0.2 s (docs/performance.md);
# 60 s lets a slow upload finish while still killing a worker that hangs.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Keep-alive behind a load balancer that reuses connections; a little above its idle timeout is safest.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Restart workers now and then (with jitter, not all at once) so that a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Load the application before forking: workers share its memory, and a broken setting fails at start, not on the
# first request.
preload_app = True
# The load balancer terminates TLS and sets X-Forwarded-*; trust it only from the addresses named here.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Combined log format plus the time the request took, in milliseconds (%(M)s) and the worker's pid: enough to find
# slow pages with `sort -t' ' -k...` or any log tool, and to tell which worker served a request.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %(p)s'
# gunicorn's control socket (`gunicornc`) sits in the home directory by default, one path for every gunicorn of
# the user: two app servers on one machine (a rehearsal next to the load test) would take it from each other.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def when_ready(server) -> None:
    # The URLconf imports every view and with them openpyxl, XlsxWriter and WeasyPrint: importing it once in the
    # master, before the fork, spares each worker about a second on its first request and shares the memory.
    from django.conf import settings
    from django.urls import get_resolver

    get_resolver(settings.ROOT_URLCONF).url_patterns  # noqa: B018
    # What the master has loaded lives as long as the workers: frozen, it is left out of their collections (a
    # large import preview spends a third of its time collecting otherwise) and its pages stay shared after the
    # fork, which a collection would copy by touching them.
    gc.freeze()


def post_fork(server, worker) -> None:
    # Database connections must not be shared across the fork: each worker opens its own on first use.
    from django.db import connections

    connections.close_all()
