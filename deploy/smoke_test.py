"""Smoke test of a deployment, through nginx, as residents and staff use it.

Usage (started by deploy/local_stack.py, which sets the DEPLOY_* variables it reads): python deploy/smoke_test.py
Checks, printing one line each and exiting non-zero on the first failure:
1. lookups answer (the API and the page), with the site's security headers over https;
2. a sign-up goes through and its confirmation e-mail arrives, with a link on SERVER_BASE_URL that opens;
3. 25 residents signing up from 25 client addresses are all accepted (each resident connects from its own
   loopback address, 127.0.0.2 …, and nginx reports that address to the app as it would a real client's:
   no header is trusted that a client could set);
4. one resident sending the same e-mail address four times is refused once, the fourth time, although nginx
   spread the attempts over both instances (the limit is counted in Redis, not per process);
5. a schedule published through one instance's /admin is answered by the other instance within 3 s.
Needs only the standard library and aiosmtpd (the mail sink).
"""

import email
import email.policy
import http.client
import io
import json
import os
import re
import ssl
import sys
import time
import uuid
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from aiosmtpd.controller import Controller

RESIDENTS = 25
PUBLISH_VISIBLE_WITHIN_SECONDS = 3.0
SCHEDULE = "Adresai,Pradžia,Pabaiga,Priežastis\n{street} {number},{start},{end},Hidrauliniai bandymai\n"
# Within the coming weeks the API answers for (SHUTOFF_HORIZON_DAYS, 28 by default).
STARTS_IN_DAYS = 20


class Failure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class Client:
    """One visitor: a loopback source address, cookies kept by hand (secure cookies over a direct hop too)."""

    def __init__(self, base_url: str, source: str = "127.0.0.1", cafile: str | None = None, host: str | None = None):
        parts = urlsplit(base_url)
        self.scheme, self.hostname, self.port = parts.scheme, parts.hostname, parts.port
        self.source = source
        self.host = host  # the Host header, when talking to an instance directly
        self.context = ssl.create_default_context(cafile=cafile) if parts.scheme == "https" else None
        self.cookies: dict[str, str] = {}
        self.extra_headers: dict[str, str] = {}
        # Flask-WTF checks that a POST over https comes from a page of the site, as a browser's Referer says.
        self.origin = f"https://{host}" if host else f"{parts.scheme}://{parts.netloc}"
        self.last_page = "/"

    def _connection(self) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection(
                self.hostname, self.port, timeout=20, context=self.context, source_address=(self.source, 0)
            )
        return http.client.HTTPConnection(self.hostname, self.port, timeout=20, source_address=(self.source, 0))

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        conn = self._connection()
        all_headers = {**self.extra_headers, **(headers or {})}
        if self.host:
            all_headers["Host"] = self.host
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=all_headers)
        raw = conn.getresponse()
        response = Response(raw.status, raw.headers, raw.read())
        conn.close()
        for cookie in raw.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def get(self, path: str) -> Response:
        self.last_page = path
        return self.request("GET", path)

    def post_form(self, path: str, fields: list[tuple[str, str]]) -> Response:
        body = urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.origin + self.last_page}
        return self.request("POST", path, body, headers)

    def post_file(self, path: str, fields: list[tuple[str, str]], file_field: str, name: str, data: bytes):
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for key, value in fields:
            out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n".encode()
        )
        out.write(data + f"\r\n--{boundary}--\r\n".encode())
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.origin + self.last_page}
        return self.request("POST", path, out.getvalue(), headers)


class Forms(HTMLParser):
    """The forms of a page: action, method and the fields a browser would send as they stand."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get"), "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.forms[-1]["fields"].append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select, self._select_first = a.get("name"), None
        elif tag == "option" and self._select:
            if self._select_first is None:
                self._select_first = a.get("value", "")
            if "selected" in a:
                self.forms[-1]["fields"].append((self._select, a.get("value", "")))
                self._select = None

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            self.forms[-1]["fields"].append((self._select, self._select_first or ""))
            self._select = None

    def posting_to(self, suffix: str) -> dict:
        """The POST form whose action ends with `suffix` ('' for a form that posts to its own page)."""
        for form in self.forms:
            if form["method"].lower() == "post" and form["action"].split("?")[0].endswith(suffix):
                return form
        raise Failure(f"no form posting to …{suffix} on the page")


def fill(form: dict, **values: str) -> list[tuple[str, str]]:
    """The form's fields as they stand, with `values` replacing (or adding) single fields."""
    fields = [(k, v) for k, v in form["fields"] if k not in values]
    return fields + list(values.items())


def text_of(raw: bytes) -> str:
    """Every text part of a MIME message, decoded (base64, quoted-printable, charset), one after another."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
    return "\n".join(parts)


class MailSink:
    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), text_of(envelope.content)))
        return "250 OK"

    def wait_for(self, address: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for recipients, content in self.messages:
                if address in recipients:
                    return content
            time.sleep(0.1)
        raise Failure(f"no e-mail to {address} within {timeout:.0f} s")


def sign_up(client: Client, code: str, email: str) -> int:
    """GET the sign-up form for building `code`, POST it with `email` and consent; the POST's status."""
    page = client.get(f"/subscribe?address={code}")
    check(page.status == 200, f"/subscribe answered {page.status}")
    form = Forms(page.text).posting_to("/subscribe")
    answer = client.post_form(form["action"], fill(form, email=email, phone="", consent="y"))
    if answer.status not in (303, 429):
        errors = re.findall(r'class="[^"]*error-message[^"]*"[^>]*>(.*?)<', answer.text, re.S)
        raise Failure(f"the sign-up answered {answer.status}: {errors or answer.text[:300]}")
    return answer.status


def step(title: str) -> None:
    print(f"  … {title}", flush=True)


def main() -> int:
    base = os.environ["DEPLOY_BASE_URL"]
    cafile = os.environ["DEPLOY_CAFILE"]
    instances = os.environ["DEPLOY_INSTANCES"].split(",")
    logs = os.environ["DEPLOY_INSTANCE_LOGS"].split(",")
    public_host = urlsplit(base).hostname
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=int(os.environ["DEPLOY_SMTP_PORT"]))
    controller.start()
    run = uuid.uuid4().hex[:8]
    try:
        step("lookups through nginx")
        visitor = Client(base, cafile=cafile)
        answer = visitor.get("/api/v1/lookup?q=zirmunu+2").json()
        check(answer["status"] == "found", f"lookup 'zirmunu 2': {answer['status']}")
        code, label = answer["address"]["code"], answer["address"]["label"]
        page = visitor.get("/?q=zirmunu+2")
        check(page.status == 200 and label in page.text, "the search page does not name the building")
        check("max-age=31536000" in page.headers.get("Strict-Transport-Security", ""), "no HSTS over https")
        check("frame-ancestors 'self'" in page.headers.get("Content-Security-Policy", ""), "no CSP")
        embed = visitor.get("/embed?lang=lt")
        check("X-Frame-Options" not in embed.headers, "nginx or the app added X-Frame-Options to /embed")
        check(visitor.get("/readyz").status == 200, "/readyz from this machine")
        print(f"ok lookups: {label} ({code}) found; HSTS, CSP; /embed frameable")

        step("a sign-up and its confirmation e-mail")
        email = f"ona.{run}@example.lt"
        check(sign_up(Client(base, cafile=cafile), code, email) == 303, "the sign-up was not accepted")
        message = sink.wait_for(email)
        links = re.findall(re.escape(base) + r"/[^\s\"<>]+", message)
        check(bool(links), f"the confirmation e-mail has no link on {base}")
        opened = Client(base, cafile=cafile).get(urlsplit(links[0]).path)
        check(opened.status == 200, f"the e-mail's link answered {opened.status}")
        print(f"ok sign-up: confirmation e-mail received, its link on {base} opens")

        step(f"{RESIDENTS} residents from {RESIDENTS} addresses")
        statuses = [
            sign_up(Client(base, source=f"127.0.0.{n + 2}", cafile=cafile), code, f"r{n}.{run}@example.lt")
            for n in range(RESIDENTS)
        ]
        check(statuses == [303] * RESIDENTS, f"residents refused: {statuses}")
        print(f"ok {RESIDENTS} residents from 127.0.0.2–127.0.0.{RESIDENTS + 1}: all accepted")

        step("one resident over the per-e-mail limit, across both instances")
        resident_ip = "127.0.0.100"
        resident = Client(base, source=resident_ip, cafile=cafile)
        form = Forms(resident.get(f"/subscribe?address={code}").text).posting_to("/subscribe")
        email = f"jonas.{run}@example.lt"
        statuses = [
            resident.post_form("/subscribe", fill(form, email=email, phone="", consent="y")).status for _ in range(4)
        ]
        check(statuses == [303, 303, 303, 429], f"the same e-mail four times: {statuses}")
        # gunicorn writes an access line just after the answer has gone: give the last one a moment.
        deadline = time.monotonic() + 3
        while sum(served := [_posts_from(log, resident_ip) for log in logs]) < 4 and time.monotonic() < deadline:
            time.sleep(0.1)
        check(sum(served) == 4 and all(served), f"the instances' logs show the attempts as {served}, not spread")
        print(f"ok one resident: {statuses}, the attempts served by the instances as {served}")

        step("a schedule published on one instance, read on the other")
        first, second = (
            Client(url, host=public_host, cafile=cafile) for url in (instances[0], instances[1 % len(instances)])
        )
        first.extra_headers = {"X-Forwarded-Proto": "https"}
        target = second.get("/api/v1/lookup?q=gedimino+pr+1").json()
        check(target["status"] == "found", f"lookup 'gedimino pr 1' on the second instance: {target['status']}")
        start = date.today() + timedelta(days=STARTS_IN_DAYS)
        check(start.isoformat() not in {s["start"] for s in target["shutoffs"]}, "the test shutoff is there already")
        schedule = SCHEDULE.format(street="Gedimino pr.", number="1", start=start, end=start + timedelta(days=1))
        published_at = _publish(first, schedule)
        target_code = target["address"]["code"]
        while True:
            shutoffs = second.get(f"/api/v1/addresses/{target_code}").json()["shutoffs"]
            waited = time.monotonic() - published_at
            if any(s["start"] == start.isoformat() for s in shutoffs):
                break
            check(waited < PUBLISH_VISIBLE_WITHIN_SECONDS, f"not visible on the other instance after {waited:.1f} s")
            time.sleep(0.05)
        print(f"ok published on {instances[0]}, answered by {instances[1 % len(instances)]} after {waited:.2f} s")
    except Failure as failure:
        print(f"FAILED: {failure}")
        return 1
    finally:
        controller.stop()
    print("smoke test passed")
    return 0


def _posts_from(log_path: str, client_address: str) -> int:
    """POSTs to /subscribe from `client_address` in one instance's JSON access log."""
    count = 0
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if line.startswith("{"):
                entry = json.loads(line)
                if entry["client"] == client_address and entry["method"] == "POST" and entry["path"] == "/subscribe":
                    count += 1
    return count


def _publish(staff: Client, schedule: str) -> float:
    """Sign in to /admin, upload and publish `schedule`; the moment the publish answered (monotonic)."""
    login = Forms(staff.get("/admin/login").text).posting_to("")
    email, password = os.environ["DEPLOY_ADMIN_EMAIL"], os.environ["DEPLOY_ADMIN_PASSWORD"]
    signed_in = staff.post_form("/admin/login", fill(login, email=email, password=password))
    check(signed_in.status == 302, f"staff sign-in answered {signed_in.status}")
    dashboard = Forms(staff.get("/admin/").text).posting_to("/uploads")
    # The fields as the page offers them (the CSRF token, the default schedule picked), plus the file.
    uploaded = staff.post_file(
        dashboard["action"], dashboard["fields"], "schedule_file", "smoke.csv", schedule.encode()
    )
    check(uploaded.status == 302, f"the upload answered {uploaded.status}")
    preview_path = urlsplit(uploaded.headers["Location"]).path
    publish = Forms(staff.get(preview_path).text).posting_to("/publish")
    published = staff.post_form(publish["action"], publish["fields"])
    # Published: back to the dashboard; not published: back to the preview, which says why.
    where = urlsplit(published.headers.get("Location", "")).path
    if published.status != 302 or where != "/admin/":
        notes = re.findall(r"<(?:p|li)[^>]*>([^<]{10,})<", staff.get(where or preview_path).text)
        raise Failure(f"publishing answered {published.status} → {where}: {notes[:5]}")
    return time.monotonic()


if __name__ == "__main__":
    sys.exit(main())
