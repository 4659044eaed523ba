"""Throwaway nginx, Apache and `gs1ld serve` instances serving a built site.

Each instance runs as the current user (or ``nobody`` when that is root, as
the servers insist) from a temporary directory holding its configuration, logs
and pid file, listens on a free 127.0.0.1 port and is stopped by its process
id.  The site's own rule files are used as generated, with only the site
folder and the port substituted -- the deploying guide's steps (docs/guides/deploy.md): the hosts'
root is the site folder's ``current`` link.

The hybrid (a site built with ``--upstream``: nginx or Apache in front, passing
what their rules cannot answer to ``gs1ld serve``) is :func:`running_hybrid`;
``benchmarks/`` can start it the same way.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import gs1ld
from gs1ld.hosts.apache import APACHE_MAP_DBM, APACHE_MAP_DIR
from gs1ld.hosts.nginx import ANSWER_CACHE_DIR
from gs1ld.hosts.rules import SITE_ROOT_PLACEHOLDER
from support import free_port, wait_listening

NGINX = "/usr/sbin/nginx"
APACHE = "/usr/sbin/apache2"
HTTXT2DBM = "/usr/sbin/httxt2dbm"
APACHE_MODULES = Path("/usr/lib/apache2/modules")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _user() -> tuple[str, str]:
    """The account the workers run as: ours, or ``nobody`` when we are root."""
    if os.geteuid() == 0:
        return "nobody", "nogroup"
    entry = pwd.getpwuid(os.geteuid())
    return entry.pw_name, str(os.getegid())


def deploy(site: Path, target: Path) -> Path:
    """Copy a site folder to ``target`` with its ``current`` link (world-readable: root's
    servers drop to ``nobody``)."""
    shutil.copytree(site, target, symlinks=True)
    for folder, _, files in os.walk(target):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    return target


def _substitute(rules: bytes, site: Path) -> str:
    return rules.decode("utf-8").replace(SITE_ROOT_PLACEHOLDER, str(site))


@contextmanager
def running_nginx(site: Path, work: Path, *, workers: int = 1) -> Iterator[str]:
    """nginx serving ``site`` with its ``nginx.conf`` and ``workers`` worker processes.

    The hybrid's answer cache is ``work/cache`` (nginx creates it). Yields the base URL.
    """
    port = free_port()
    rules = (
        _substitute((site / "current" / "nginx.conf").read_bytes(), site)
        .replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace(ANSWER_CACHE_DIR, str(work / "cache"))  # the hybrid's answer cache
    )
    (work / "gs1ld.conf").write_text(rules, "utf-8")
    user, group = _user()
    temp = work / "temp"
    temp.mkdir()
    (work / "nginx.conf").write_text(
        f"""daemon off;
master_process on;
worker_processes {workers};
pid {work}/nginx.pid;
error_log {work}/error.log warn;
{"user " + user + " " + group + ";" if os.geteuid() == 0 else ""}
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {work}/gs1ld.conf;
}}
""",
        "utf-8",
    )
    log = work / "error.log"
    process = subprocess.Popen(
        [NGINX, "-p", str(work), "-e", str(log), "-c", str(work / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_listening(process, port, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


_APACHE_MODULES = ("mpm_event", "authz_core", "mime", "dir", "rewrite", "headers", "alias")
_PROXY_MODULES = ("proxy", "proxy_http")
"""Loaded for the hybrid: ``apache.conf`` passes requests on with ``RewriteRule [P]``."""


@contextmanager
def running_serve(site: Path, work: Path, *, port: int, workers: int = 1) -> Iterator[str]:
    """``gs1ld serve SITE`` as its own process on 127.0.0.1:``port``; yields its URL.

    Run as the deployment runs it: the site's own base URL, no ``--trust-proxy``.
    """
    log = work / "serve.log"
    source = str(Path(gs1ld.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "gs1ld", "serve", str(site), "--host", "127.0.0.1"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--workers", str(workers)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        wait_listening(process, port, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


@contextmanager
def running_hybrid(
    site: Path, work: Path, *, host: str, upstream_port: int, workers: int = 1
) -> Iterator[str]:
    """nginx or Apache (``host``) in front of ``gs1ld serve``, both serving ``site``.

    ``site`` must have been built with ``upstream=f"http://127.0.0.1:{upstream_port}"``
    (``gs1ld site build --upstream``): its ``nginx.conf``/``apache.conf`` name that
    port, where ``gs1ld serve`` is started.  Yields the front server's URL.
    """
    (work / "upstream").mkdir()
    (work / "front").mkdir()
    with running_serve(site, work / "upstream", port=upstream_port, workers=workers):
        if host == "nginx":
            with running_nginx(site, work / "front", workers=workers) as url:
                yield url
        elif host == "apache":
            with running_apache(site, work / "front", proxy=True) as url:
                yield url
        else:
            raise ValueError(f"expected host 'nginx' or 'apache', got {host!r}")


@contextmanager
def running_apache(
    site: Path, work: Path, *, htaccess: bool = False, proxy: bool = False
) -> Iterator[str]:
    """Apache serving ``site`` with ``apache.conf`` (or only its ``.htaccess``); yields the URL.

    ``proxy`` loads mod_proxy for a site built with an upstream.
    """
    port = free_port()
    user, group = _user()
    if htaccess:
        rules = f"""DocumentRoot "{site}/current"
<Directory "{site}/current">
    Require all granted
    AllowOverride FileInfo Indexes
</Directory>
"""
    else:
        # as apache.conf's deployment note says: the shards, concatenated, into one DBM
        built = site / "current"
        shards = b"".join(p.read_bytes() for p in sorted((built / APACHE_MAP_DIR).glob("*.txt")))
        subprocess.run(
            [HTTXT2DBM, "-f", "GDBM", "-i", "-", "-o", str(built / APACHE_MAP_DBM)],
            input=shards,
            check=True,
            capture_output=True,
        )
        os.chmod(built / APACHE_MAP_DBM, 0o644)
        rules = _substitute((built / "apache.conf").read_bytes(), site)
    modules = "\n".join(
        f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so"
        for name in (*_APACHE_MODULES, *(_PROXY_MODULES if proxy else ()))
    )
    log = work / "error.log"
    (work / "httpd.conf").write_text(
        f"""ServerRoot "{work}"
{modules}
PidFile "{work}/httpd.pid"
DefaultRuntimeDir "{work}"
Mutex file:{work} default
ErrorLog "{log}"
LogLevel warn
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
User {user}
Group {"#" + group if group.isdigit() else group}
TypesConfig /etc/mime.types
AccessFileName .htaccess
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<VirtualHost 127.0.0.1:{port}>
{rules}
</VirtualHost>
""",
        "utf-8",
    )
    process = subprocess.Popen(
        [APACHE, "-f", str(work / "httpd.conf"), "-DFOREGROUND"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        env={**os.environ, "APACHE_RUN_DIR": str(work)},
    )
    try:
        wait_listening(process, port, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)
