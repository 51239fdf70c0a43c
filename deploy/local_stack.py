"""The deployment on loopback, as deploy/ describes it: nginx with TLS in front of two gunicorn instances
(gunicorn.conf.py, production settings) sharing PostgreSQL and Redis. Used by .ci/run and bench/load.py.

Usage: python deploy/local_stack.py --database-url postgresql://…/karstas_deploy [--register DIR] -- COMMAND…
starts everything (Debian's nginx and redis-server must be installed; PostgreSQL is the given database),
runs COMMAND with the addresses in its environment, stops everything and exits with COMMAND's status:
  DEPLOY_BASE_URL       https://localhost:PORT (nginx; its certificate is DEPLOY_CAFILE)
  DEPLOY_INSTANCES      http://127.0.0.1:P1,http://127.0.0.1:P2 (gunicorn, for what must reach one instance)
  DEPLOY_INSTANCE_LOGS  their logs (JSON access lines), in the same order
  DEPLOY_SMTP_PORT      where the instances deliver mail (nothing listens until the command does)
  DEPLOY_ADMIN_EMAIL, DEPLOY_ADMIN_PASSWORD  a staff account for /admin
The nginx site is deploy/nginx/karstas-vanduo.conf with only its addresses changed (ports on 127.0.0.1,
server name localhost, a self-signed certificate, this checkout's static files, both instances upstream).
"""

import argparse
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_CONF = ROOT / "deploy" / "nginx" / "karstas-vanduo.conf"
BIN = Path(sys.executable).parent
NGINX_MAIN = """\
user www-data;
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    # As Debian's nginx.conf has it: the site must turn compression off for the app's pages itself.
    gzip on;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    include {tmp}/site.conf;
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render_site(
    tmp: Path, http_port: int, https_port: int, upstreams: list[int], extra_locations: str = "", extra_http: str = ""
) -> str:
    """deploy/nginx/karstas-vanduo.conf with loopback addresses; every replacement must apply."""
    text = SITE_CONF.read_text(encoding="utf-8")
    servers = "\n    ".join(f"server 127.0.0.1:{port};" for port in upstreams)
    replacements = [
        ("listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;"),
        ("listen 443 ssl default_server;", f"listen 127.0.0.1:{https_port} ssl default_server;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:80 default_server;\n", ""),
        ("listen [::]:443 ssl default_server;\n", ""),
        ("listen [::]:80;\n", ""),
        ("listen [::]:443 ssl http2;\n", ""),
        ("server 127.0.0.1:8000;", servers),
        ("/etc/letsencrypt/live/karstasvanduo.lt/", f"{tmp}/tls/"),
        ("server_name karstasvanduo.lt;", "server_name localhost;"),
        ("/srv/karstas-vanduo/app/static/", f"{ROOT}/app/static/"),
        ("/var/log/nginx/karstas-vanduo.", f"{tmp}/nginx-karstas-vanduo."),
        ("    location / {\n", f"{extra_locations}    location / {{\n"),
    ]
    for old, new in replacements:
        if old not in text:
            raise SystemExit(f"{SITE_CONF}: expected {old.strip()!r}; update deploy/local_stack.py with it")
        text = text.replace(old, new)
    return extra_http + text


class LocalStack:
    """nginx → N gunicorn instances → PostgreSQL (given) and Redis (started here), all on loopback."""

    def __init__(
        self,
        database_url: str,
        instances: int = 2,
        workers: int = 2,
        extra_locations: str = "",
        extra_http: str = "",
    ):
        self.database_url = database_url
        self.tmp = Path(tempfile.mkdtemp(prefix="karstas-stack."))
        self.tmp.chmod(0o755)  # nginx workers (www-data) write their temp files here
        self.https_port, self.http_port, self.redis_port, self.smtp_port = (free_port() for _ in range(4))
        self.instance_ports = [free_port() for _ in range(instances)]
        self.workers = workers
        self.extra_locations, self.extra_http = extra_locations, extra_http
        self.base_url = f"https://localhost:{self.https_port}"
        self.admin_email = "smoke@karstasvanduo.lt"
        self.admin_password = secrets.token_urlsafe(16)
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "SERVER_BASE_URL": self.base_url,
            "DATABASE_URL": database_url,
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{self.redis_port}/0",
            "REVERSE_PROXY": "1",
            "WEB_CONCURRENCY": str(workers),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.smtp_port),
            "SMTP_SECURITY": "none",
            "NOTIFY_CHANNEL_SMS": "console",
        }

    @property
    def logs(self) -> list[Path]:
        return [self.tmp / f"instance-{n}.log" for n in range(len(self.instance_ports))]

    def flask(self, *args: str) -> None:
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=self.env, check=True)

    def prepare_database(self, register: Path | None, staff_account: bool = True) -> None:
        """Schema, a register (the demo's with its schedule when none is given) and a staff account."""
        self.flask("db", "upgrade")
        if register is None:
            self.flask("demo", "load")
        else:
            self.flask("addresses", "import-register", str(register))
        if staff_account:
            self.flask("users", "create-admin", self.admin_email, "--password", self.admin_password)

    def serve(self, module: str, port: int, log: Path, workers: int | None = None) -> None:
        """gunicorn with gunicorn.conf.py and the production settings, serving `module` on 127.0.0.1:port."""
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers or self.workers)}
        with log.open("wb") as out:
            gunicorn = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", module]
            self.processes.append(subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))

    def start(self) -> None:
        self._start_redis()
        for port, log in zip(self.instance_ports, self.logs, strict=True):
            self.serve("wsgi:app", port, log)
        self._start_nginx()
        for port in self.instance_ports:
            self.wait_ready(port)

    def _start_redis(self) -> None:
        redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        args = ["--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with (self.tmp / "redis.log").open("wb") as out:
            self.processes.append(subprocess.Popen([redis, *args], stdout=out, stderr=subprocess.STDOUT))

    def _start_nginx(self) -> None:
        tls = self.tmp / "tls"
        tls.mkdir()
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost",
                "-keyout", str(tls / "privkey.pem"), "-out", str(tls / "fullchain.pem"),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        site = render_site(
            self.tmp, self.http_port, self.https_port, self.instance_ports, self.extra_locations, self.extra_http
        )
        (self.tmp / "site.conf").write_text(site, encoding="utf-8")
        (self.tmp / "nginx.conf").write_text(NGINX_MAIN.format(tmp=self.tmp), encoding="utf-8")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        command = [nginx, "-c", str(self.tmp / "nginx.conf"), "-e", str(self.tmp / "nginx-error.log")]
        subprocess.run([*command, "-t", "-q"], check=True)
        self.processes.append(subprocess.Popen([*command, "-g", "daemon off;"]))

    def wait_ready(self, port: int, timeout: float = 60.0) -> None:
        """Until the instance's /readyz answers 200 (with the site's host, the only one it accepts)."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/readyz", headers={"Host": "localhost"})
                response = conn.getresponse()
                last = f"{response.status} {response.read().decode()}"
                if response.status == 200:
                    return
            except OSError as exc:
                last = str(exc)
            time.sleep(0.3)
        raise SystemExit(f"instance on :{port} not ready: {last}\n" + self.tail_logs())

    def tail_logs(self, lines: int = 30) -> str:
        out = []
        for log in [*self.logs, self.tmp / "nginx-error.log"]:
            if log.exists():
                out.append(f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:]))
        return "\n".join(out)

    def command_env(self) -> dict:
        return {
            **os.environ,
            "DEPLOY_BASE_URL": self.base_url,
            "DEPLOY_CAFILE": str(self.tmp / "tls" / "fullchain.pem"),
            "DEPLOY_INSTANCES": ",".join(f"http://127.0.0.1:{p}" for p in self.instance_ports),
            "DEPLOY_INSTANCE_LOGS": ",".join(str(log) for log in self.logs),
            "DEPLOY_SMTP_PORT": str(self.smtp_port),
            "DEPLOY_ADMIN_EMAIL": self.admin_email,
            "DEPLOY_ADMIN_PASSWORD": self.admin_password,
        }

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> "LocalStack":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--register", type=Path, help="import this register (default: the demo and its schedule)")
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command to run against the stack, after --")
    stack = LocalStack(args.database_url, instances=args.instances)
    stack.prepare_database(args.register)
    with stack:
        print(f"stack up: nginx {stack.base_url} → gunicorn {stack.instance_ports}, redis :{stack.redis_port}")
        status = subprocess.run(command, env=stack.command_env(), check=False).returncode
        if status != 0:
            print(stack.tail_logs(), file=sys.stderr)
    sys.exit(status)


if __name__ == "__main__":
    main()
