"""Every route, GET and POST, fed odd input from a fixed seed: never a 5xx, never an unescaped reflection.

The routes come from `app.url_map`, so a page is fuzzed the day it is added. People use the site as it
is: someone anonymous, a signed-in staff member, a manager holding a list's private links, and a resident
holding the links the sign-up messages sent. Each learns the pages it can open: their forms' fields (with
the values the page offers) and the query keys of their links.

Each route has an owner, the person who holds its URL parts (the staff member for /admin, the manager for
a list, the resident for their links). The owner visits it:
- once per ODD value with every field odd at once, each field a different ODD value, so that every form
  field and query key meets every ODD value in a run; when such a post goes through, the owner then opens
  the pages of that part of the site, where what it stored is shown (a list's feed, exports, notices);
- once per field with only that field odd and the others as the page offers them, so a form that is
  otherwise right gets past its validation with the odd value in it;
- once per ODD_URL_PARTS value in each URL part, the rest as offered;
- once as the page offers it.
Everyone else visits it once with odd URL parts. A POST carries the session's CSRF token, except now and
then a wrong one or none (a 400); some bodies are not forms at all (bytes that are not UTF-8, JSON, a
broken multipart). Headers (Accept-Language, Range, …) and cookies are odd on some requests.

A failure lists every request that gave a 5xx (or raised) or showed MARKER unescaped in an HTML page,
replayable as written (person, method, path, query string, body, headers).
"""

import io
import random
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from app.admin.accounts import create_staff_user
from app.admin.models import ScheduleUpload
from app.datacache import bump_data_version
from app.extensions import db, limiter
from app.notifications.channels.console import SENT
from app.portfolio.links import sign_public_id
from app.portfolio.models import Portfolio, PortfolioEntry, PortfolioSource
from tests.helpers.html import soup

SEED = 20261130
MARKER = "<x-fuzz-7>"
STAFF_EMAIL = "fuzz@vst.lt"
STAFF_PASSWORD = "ilgas-slaptazodis-fuzz"


class NotUtf8:
    """An ODD value: bytes that are not UTF-8 (an overlong slash, 0xFF, a lone surrogate), sent as bytes."""

    raw = b"\xc0\xaf\xff\xed\xa0\x80"

    def __repr__(self) -> str:
        return "NOT_UTF8"


NOT_UTF8 = NotUtf8()
# Every field meets each of these once per run.
ODD: list = [
    "\x00",
    "/\r\nSet-Cookie: fuzz=1",
    "a\nb\tc\x1b\x7f\x85\u2028",
    "²",
    "٣",
    str(2**63),
    str(2**64),
    "9" * 5000,
    "-1",
    MARKER,
    f'"><{MARKER[1:]}',
    "//evil.example",
    "",
    "%(name)s{0}{{7*7}}[]:*?/\\'",
    '=HYPERLINK("https://evil.example")',
    "\ufeff\u202e🔥",
    NOT_UTF8,
]
# What every URL part meets, the rest of the request as the page offers it.
ODD_URL_PARTS = [
    "\x00",
    "/\r\nX: 1",
    "²",
    "٣",
    str(2**31),
    str(2**63),
    str(2**64),
    "9" * 5000,
    "-1",
    "a" * 5000,
    MARKER,
    NOT_UTF8,
]
ODD_HEADERS = [
    ("Accept-Language", "lt-LT,lt;q=0.9," * 400),
    ("Accept-Language", "xx;q=abc,*;q=-1,\x00"),
    ("Accept-Language", "en;q=" + "9" * 300),
    ("Accept-Language", "ру,²"),
    ("Referer", f"https://evil.example/{MARKER}"),
    ("User-Agent", "Mozilla/5.0 " * 300),
    ("If-None-Match", '"' + "x" * 500 + '", W/"'),
    ("If-Modified-Since", "Thu, 99 Foo 9999 99:99:99 GMT"),
    ("Range", "bytes=99999999999999999999-"),
    ("X-Forwarded-For", "1.2.3.4, \x00, ::1"),
    ("Origin", "null"),
]
# Cookies the browser holds (the test client sends its own jar, so these go in it for one request).
ODD_COOKIES = [("lang", "xx"), ("lang", MARKER), ("session", "A" * 4000), ("session", ".eJyrVkrLz1eyUkpKLFKqBQA.x.y")]
ODD_BODIES = [
    (b"csrf_token=x&\xff\xfe=\xc0\xaf", "application/x-www-form-urlencoded"),
    (b'{"q": "' + MARKER.encode() + b'", "x": [1, {"y": null}]}', "application/json"),
    (b'--x\r\nContent-Disposition: form-data; name="q"\r\n\r\n\xff\r\n', "multipart/form-data"),
    (b'--x\r\nContent-Disposition: form-data; name="q"\r\n\r\n', "multipart/form-data; boundary=x"),
    (b"q=" + b"a" * 100_000, "application/x-www-form-urlencoded"),
]
# Query keys any page may be asked with, beside those its own links carry.
COMMON_NAMES = ["q", "next", "lang", "show", "address", "email"]
# Whose pages these are: the owner visits them most (the rest belong to whoever holds their URL parts).
OWNERS = {
    "admin.login": "anonymous",
    "admin.logout": "anonymous",
    "admin.": "staff",
    "portfolio.": "manager",
    "notifications.": "resident",
}
LINK = re.compile(r"https?://[^\s<>\"]+")
URL_PART = re.compile(r"<(?:[^:<>]+:)?([^:<>]+)>")


@dataclass
class Person:
    """Someone using the site: a browser (cookies), the session's CSRF token, the URL values they hold."""

    name: str
    client: object
    url_values: dict  # argument name → a real value, for every route
    endpoint_values: dict = field(default_factory=dict)  # endpoint → {argument: value}, where it differs
    csrf: str = ""
    fields: dict = field(default_factory=lambda: defaultdict(dict))  # endpoint → {name: (kind, [values])}

    def values_for(self, rule: Rule) -> dict:
        return self.url_values | self.endpoint_values.get(rule.endpoint, {})

    def holds(self, rule: Rule) -> bool:
        return set(rule.arguments) <= set(self.values_for(rule))


@dataclass
class Attempt:
    person: str
    method: str
    path: str
    query: str = ""
    body: bytes | dict | None = None
    content_type: str | None = None
    headers: list = field(default_factory=list)
    cookie: tuple | None = None
    after: str = ""

    def __str__(self) -> str:
        body = self.body if isinstance(self.body, bytes) else {k: _short(v) for k, v in (self.body or {}).items()}
        cookie = f" cookie={self.cookie[0]}={_short(self.cookie[1])}" if self.cookie else ""
        headers = [(name, _short(value)) for name, value in self.headers]
        after = f" after {self.after}" if self.after else ""
        return f"as {self.person}: {self.method} {self.path[:300]}?{self.query[:400]} body={_short(body)}{cookie} {headers}{after}"


def _short(value) -> str:
    text = repr(value)
    return text if len(text) < 300 else f"{text[:280]}…({len(text)} chars)"


def _routes(app: Flask) -> list[tuple[Rule, str]]:
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
    return [(rule, method) for rule in rules for method in ("GET", "POST") if method in rule.methods]


# --- the people ----------------------------------------------------------------------------------


@pytest.fixture
def people(app, make_address, make_shutoff):
    """Four people, each with a browser, the real URL values they hold and the fields their pages show."""
    building = make_address(street="Žirmūnų g.", number="12A")
    make_address(street="Liepų al.", number="8")
    make_address(street="Liepų g.", number="8")
    make_shutoff(building, starts_in=3, note=f"Pastaba {MARKER}")
    bump_data_version("register")  # a register is imported: /readyz answers 200, so a 503 there is a finding
    db.session.commit()
    create_staff_user(STAFF_EMAIL, STAFF_PASSWORD)
    shared = {"code": building.code, "lang": "en", "filename": "css/site.css"}

    anonymous = Person("anonymous", app.test_client(), dict(shared))

    staff = Person("staff", app.test_client(), dict(shared))
    _sign_in(app, staff.client)
    schedule = "Adresai,Pradžia,Pabaiga,Priežastis\nŽirmūnų g. 12A,2030-05-10,2030-05-11,Hidrauliniai bandymai\n"
    uploaded = _post(
        app,
        staff.client,
        "/admin/uploads",
        {"schedule_name": "Pagrindinis grafikas", "schedule_file": (io.BytesIO(schedule.encode()), "grafikas.csv")},
        csrf_from="/admin/",
    )
    assert uploaded.status_code == 302
    staff.url_values["upload_id"] = db.session.scalars(select(ScheduleUpload.id)).one()

    manager = Person("manager", app.test_client(), dict(shared))
    _make_list(app, manager)

    resident = Person("resident", app.test_client(), dict(shared))
    _sign_up(app, resident, building.code)

    made = [anonymous, staff, manager, resident]
    db.session.remove()
    for person in made:
        _learn_pages(app, person)
    return made


def _csrf(client, path: str) -> str:
    return soup(client.get(path)).select_one("input[name$=csrf_token]")["value"]


def _post(app: Flask, client, path: str, data: dict, csrf_from: str | None = None, prefix: str = ""):
    """Post a form the way its page does: with the CSRF token the page (or `csrf_from`) gave this browser."""
    with app.app_context():
        token = _csrf(client, csrf_from or path)
    with app.app_context():
        return client.post(path, data={f"{prefix}csrf_token": token, **data}, content_type="multipart/form-data")


def _sign_in(app: Flask, client) -> str:
    """Sign the staff member in; returns the new session's CSRF token."""
    signed_in = _post(app, client, "/admin/login", {"email": STAFF_EMAIL, "password": STAFF_PASSWORD})
    assert signed_in.status_code == 302
    with app.app_context():
        return _csrf(client, "/admin/")


def _make_list(app: Flask, person: Person) -> None:
    """Check a list of buildings as a manager does; keep its private links and the ids of its rows."""
    listed = _post(app, person.client, "/managers/", {"addresses": "Žirmūnų g. 12A\nLiepų 8\nnėra tokios 1"})
    assert listed.status_code == 302
    portfolio = db.session.scalars(select(Portfolio).order_by(Portfolio.id.desc())).first()
    person.url_values |= {
        "token": sign_public_id(portfolio.public_id, "edit"),
        "entry_id": db.session.scalars(select(PortfolioEntry.id).filter_by(portfolio_id=portfolio.id)).first(),
        "source_id": db.session.scalars(select(PortfolioSource.id).filter_by(portfolio_id=portfolio.id)).first(),
    }
    person.endpoint_values["portfolio.calendar"] = {"token": sign_public_id(portfolio.public_id, "calendar")}
    db.session.remove()


def _add_rows(app: Flask, person: Person) -> None:
    """The manager adds lines to the list again (an odd visit removed them); keeps the new rows' ids."""
    token = person.url_values["token"]
    added = _post(
        app,
        person.client,
        f"/managers/p/{token}/add",
        {"add-addresses": "Liepų 8\nnėra tokios 2"},
        csrf_from=f"/managers/p/{token}",
        prefix="add-",
    )
    assert added.status_code == 302
    person.url_values["entry_id"] = db.session.scalars(select(func.max(PortfolioEntry.id))).one()
    person.url_values["source_id"] = db.session.scalars(select(func.max(PortfolioSource.id))).one()
    db.session.remove()


def _sign_up(app: Flask, person: Person, code: str) -> None:
    """Sign up by e-mail and SMS as the sign-up page offers, confirm the e-mail, and keep every link the
    messages and the redirects gave (confirm, code page, manage, unsubscribe, the SMS short link)."""
    with app.app_context():
        page = soup(person.client.get("/subscribe", query_string={"address": code}))
    form: dict[str, list[str]] = defaultdict(list)
    for element in page.select("form[method=post] input[name], form[method=post] select[name]"):
        kind = element.get("type", element.name)
        if kind in ("checkbox", "radio") and not element.has_attr("checked") and element["name"] != "consent":
            continue
        value = {"email": "gyventoja@example.lt", "tel": "+37060000001"}.get(kind, element.get("value", ""))
        if element.name == "select":
            value = element.select_one("option")["value"]
        form[element["name"]].append(value)
    SENT.clear()
    with app.app_context():
        signed_up = person.client.post("/subscribe", data=form)
    assert signed_up.status_code == 303
    urls = [signed_up.location, *(url for message in SENT for url in LINK.findall(message.text or ""))]
    adapter = app.url_map.bind("localhost")
    for url in urls:
        parts = urlsplit(url)
        for pair in parts.query.split("&"):  # the check page's query carries the SMS code page's token
            name, _, value = pair.partition("=")
            if name == "sms":
                person.endpoint_values["notifications.enter_code"] = {"token": value}
        try:
            endpoint, values = adapter.match(parts.path)
        except HTTPException:
            continue
        if endpoint.startswith("notifications."):
            person.endpoint_values[endpoint] = {name: str(value) for name, value in values.items()}
    confirm = person.endpoint_values.get("notifications.confirm")
    assert confirm, "no confirmation link in the messages"
    confirmed = _post(app, person.client, f"/subscribe/confirm/{confirm['token']}", {})
    endpoint, values = adapter.match(urlsplit(confirmed.location).path)
    assert endpoint == "notifications.manage"
    person.endpoint_values[endpoint] = values
    person.endpoint_values["notifications.delete"] = values


def _learn_pages(app: Flask, person: Person) -> None:
    """The fields of every form (with the values the page offers) and the query keys of every link on the
    pages this person can open; the session's CSRF token."""
    adapter = app.url_map.bind("localhost")
    for rule, method in _routes(app):
        if method != "GET" or not person.holds(rule):
            continue
        with app.app_context():
            response = person.client.get(_fill(rule, person.values_for(rule)))
        response.close()  # static files are streamed
        if "text/html" not in response.content_type:
            continue
        page = soup(response)
        token = page.select_one("input[name$=csrf_token]")
        if token is not None:
            person.csrf = token["value"]
        _learn_forms(adapter, person, page, response.request.path)
        _learn_links(adapter, person, page)


def _learn_forms(adapter, person: Person, page, path: str) -> None:
    for form in page.select("form"):
        action = urlsplit(form.get("action") or path).path
        try:
            endpoint, _values = adapter.match(action, method=(form.get("method") or "GET").upper())
        except HTTPException:
            continue
        # Fields inside the form, and those elsewhere on the page that name it (form="…").
        owned = form.select("input[name], select[name], textarea[name], button[name]")
        if form.get("id"):
            owned += page.select(f'[form="{form["id"]}"][name]')
        for element in owned:
            values = [o.get("value", o.get_text()) for o in element.select("option")] or [element.get("value", "")]
            known = person.fields[endpoint].setdefault(element["name"], (element.get("type", element.name), []))
            known[1].extend(v for v in values if v not in known[1])


def _learn_links(adapter, person: Person, page) -> None:
    for link in page.select("a[href]"):
        parts = urlsplit(link["href"])
        if not parts.query or parts.netloc:
            continue
        try:
            endpoint, _values = adapter.match(parts.path)
        except HTTPException:
            continue
        for pair in parts.query.split("&"):
            name, _, value = pair.partition("=")
            person.fields[endpoint].setdefault(name, ("link", [value]))


# --- odd requests --------------------------------------------------------------------------------


def _quoted(value) -> str:
    if value is NOT_UTF8:
        return quote(NOT_UTF8.raw, safe="")
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _fill(rule: Rule, values: dict, odd: dict | None = None) -> str:
    """The rule's path with its URL parts filled: odd ones where given, the person's real ones otherwise."""

    def part(match: re.Match) -> str:
        argument = match.group(1)
        if odd and argument in odd:
            return _quoted(odd[argument]) or "%20"  # an empty part would match another route
        return quote(str(values.get(argument, "1")), safe="/" if argument == "filename" else "")

    return URL_PART.sub(part, rule.rule)


@dataclass
class Visit:
    """One request's plan: which fields get which ODD value (the rest get what the page offers)."""

    person: Person
    rule: Rule
    method: str
    odd: dict  # field name ("?name" for a query key, "<name>" for a URL part) → ODD value
    all_fields: bool = True  # False: only the fields named in `odd` are sent odd, the others as offered
    after: str = ""  # the post whose stored values this visit shows


class Fuzzer:
    """Plans the visits (see the module's docstring) and turns each into a request, from a fixed seed."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.inputs = 0  # odd values sent, for the run's count

    def plan(self, app: Flask, people: list[Person]) -> list[Visit]:
        visits = []
        for rule, method in _routes(app):
            owner = _owner(rule, people)
            names = _field_names(owner, rule, method)
            offsets = {name: self.random.randrange(len(ODD)) for name in names}
            for step in range(len(ODD)):
                visits.append(Visit(owner, rule, method, {n: ODD[(step + offsets[n]) % len(ODD)] for n in names}))
            for name in names:
                visits.append(Visit(owner, rule, method, {name: self.random.choice(ODD)}, all_fields=False))
            visits.append(Visit(owner, rule, method, {}, all_fields=False))
            for argument in sorted(rule.arguments):
                visits += [Visit(owner, rule, method, {f"<{argument}>": v}, all_fields=False) for v in ODD_URL_PARTS]
            for person in people:
                if person is not owner:
                    odd = {f"<{a}>": self.random.choice(ODD) for a in rule.arguments}
                    visits.append(Visit(person, rule, method, odd, all_fields=False))
        return visits

    def attempt(self, visit: Visit) -> Attempt:
        person, rule = visit.person, visit.rule
        known = person.fields.get(rule.endpoint, {})
        self.inputs += len(visit.odd)
        url_parts = {name[1:-1]: value for name, value in visit.odd.items() if name.startswith("<")}
        attempt = Attempt(person.name, visit.method, _fill(rule, person.values_for(rule), url_parts), after=visit.after)
        attempt.query = self.query(visit, known)
        attempt.headers = self.random.sample(ODD_HEADERS, self.random.choice([0, 0, 0, 1, 2]))
        attempt.cookie = self.random.choice(ODD_COOKIES) if self.random.random() < 0.05 else None
        self.inputs += len(attempt.headers) + bool(attempt.cookie)
        if visit.method == "POST":
            attempt.body, attempt.content_type = self.body(visit, known, person.csrf)
        return attempt

    def query(self, visit: Visit, known: dict) -> str:
        pairs = []
        for name, (kind, values) in known.items():
            if kind == "link" or (visit.method == "GET" and kind != "file"):
                value = visit.odd.get(f"?{name}", self.random.choice(values) if values else "")
                pairs.append((name, value))
        pairs += [
            (name[1:], value) for name, value in visit.odd.items() if name.startswith("?") and name[1:] not in known
        ]
        if pairs and self.random.random() < 0.1:
            pairs.append(pairs[0])  # the same key twice
            pairs.append((pairs[0][0] + "[]", "1"))  # an array the way PHP writes it
        return "&".join(f"{quote(name, safe='')}={_quoted(value)}" for name, value in pairs)

    def body(self, visit: Visit, known: dict, csrf: str) -> tuple[bytes | dict, str | None]:
        if visit.all_fields and self.random.random() < 0.08:
            self.inputs += 1
            return self.random.choice(ODD_BODIES)
        data = self.form_fields(visit, known)
        csrf_names = [name for name in known if name.endswith("csrf_token")] or ["csrf_token"]
        roll = self.random.random()
        if roll < 0.9 or not visit.all_fields:
            data += [(name, csrf) for name in csrf_names]
        elif roll < 0.95:
            data += [(name, self.random.choice(ODD)) for name in csrf_names]
        return _encoded(data)

    def form_fields(self, visit: Visit, known: dict) -> list[tuple[str, object]]:
        """The page's fields: the odd ones the visit names, the others as the page offers them."""
        data: list[tuple[str, object]] = []
        for name, (kind, values) in known.items():
            if name.endswith("csrf_token") or kind == "link":
                continue
            if kind == "file":
                data.append((name, self.file(visit.odd.get(name, "Žirmūnų g. 12A"))))
            elif name in visit.odd:
                data.append((name, visit.odd[name]))
            elif values:
                data.append((name, self.random.choice(values)))
            if name in visit.odd and self.random.random() < 0.1:
                data.append((name, self.random.choice(ODD)))  # the same field twice
        return data

    def file(self, line) -> tuple[io.BytesIO, str]:
        text = "\ufffd" if line is NOT_UTF8 else line
        content = self.random.choice(
            [
                ("Adresai\n" + text + "\n").encode("utf-8", "surrogatepass"),
                ("Adresai\n" + text + "\n").encode("utf-16"),
                b"\xff\xfe\x00\x00" + NOT_UTF8.raw,
                b"PK\x03\x04" + b"\x00" * 40,
                b"",
            ]
        )
        name = self.random.choice(
            ["sarasas.csv", "sarasas.xlsx", MARKER + ".csv", "a\x00.csv", "../x.csv", "x" * 300 + ".csv"]
        )
        return io.BytesIO(content), name


def _encoded(data: list[tuple[str, object]]) -> tuple[bytes | dict, str]:
    """A form body: multipart when it holds a file (where bytes must be text), else URL-encoded bytes."""
    if any(isinstance(value, tuple) for _, value in data):
        fields: dict = defaultdict(list)
        for name, value in data:
            fields[name].append("\ufffd" if value is NOT_UTF8 else value)
        return dict(fields), "multipart/form-data"
    encoded = [
        (name, NOT_UTF8.raw if value is NOT_UTF8 else value.encode("utf-8", "surrogatepass")) for name, value in data
    ]
    return urlencode(encoded).encode(), "application/x-www-form-urlencoded"


def _owner(rule: Rule, people: list[Person]) -> Person:
    by_name = {person.name: person for person in people}
    for prefix, name in OWNERS.items():
        if rule.endpoint.startswith(prefix) and by_name[name].holds(rule):
            return by_name[name]
    return next((person for person in people if person.holds(rule)), people[0])


def _field_names(person: Person, rule: Rule, method: str) -> list[str]:
    known = person.fields.get(rule.endpoint, {})
    names = []
    for name, (kind, _values) in sorted(known.items()):
        if name.endswith("csrf_token"):
            continue
        as_query = kind == "link" or method == "GET"
        names.append(f"?{name}" if as_query else name)
    return names + [f"?{name}" for name in COMMON_NAMES if name not in known]


def _problem(response) -> str | None:
    if response.status_code >= 500:
        return str(response.status_code)
    if "text/html" in response.content_type and "<x-fuzz-7" in response.get_data(as_text=True):
        return "MARKER unescaped in HTML"
    return None


def test_no_odd_input_to_any_route_gives_a_server_error_or_an_unescaped_reflection(app, people):
    fuzzer = Fuzzer(SEED)
    problems: list[str] = []
    visits = deque(fuzzer.plan(app, people))
    while visits:
        visit = visits.popleft()
        attempt = fuzzer.attempt(visit)
        limiter.reset()  # every request reaches its view (and its limits' key functions)
        try:
            response = _send(app, visit.person, attempt)
        except Exception as error:  # the test client raises what would be a 500
            problems.append(f"{type(error).__name__}: {str(error)[:200]} {attempt}")
            continue
        problem = _problem(response)
        if problem:
            problems.append(f"{problem} {attempt}")
        if visit.method == "POST" and visit.all_fields and response.status_code in (302, 303):
            visits.extendleft(_pages_showing(app, visit, str(attempt)))  # what it stored, where it is shown
        _keep_holding(app, visit, response)
    assert fuzzer.inputs >= 1000
    assert problems == [], "\n".join(problems)


def _pages_showing(app: Flask, visit: Visit, after: str) -> list[Visit]:
    """After a post with every field odd that went through: the poster's pages of the same part of the site, as offered
    (a list's page, its feed, exports and notices; the staff pages)."""
    blueprint = visit.rule.endpoint.partition(".")[0]
    return [
        Visit(visit.person, rule, "GET", {}, all_fields=False, after=after)
        for rule, method in _routes(app)
        if method == "GET" and rule.endpoint.startswith(f"{blueprint}.") and visit.person.holds(rule)
    ]


def _send(app: Flask, person: Person, attempt: Attempt):
    kept = None
    if attempt.cookie:
        kept = person.client.get_cookie(attempt.cookie[0])
        person.client.set_cookie(attempt.cookie[0], attempt.cookie[1])
    # A fresh app context per request, as a server gives each request (g, the database session).
    with app.app_context():
        response = person.client.open(
            attempt.path,
            method=attempt.method,
            query_string=attempt.query,
            data=attempt.body,
            content_type=attempt.content_type,
            headers=attempt.headers,
        )
    response.get_data()
    response.close()  # static files are streamed
    if attempt.cookie:  # the browser's own cookie back, so the session (and its CSRF token) stays
        if kept is None:
            person.client.delete_cookie(attempt.cookie[0])
        else:
            person.client.set_cookie(attempt.cookie[0], kept.value)
    return response


def _keep_holding(app: Flask, visit: Visit, response) -> None:
    """What a visit undid, done again: signing out ends the session (and its CSRF token); a resident's
    deleted or unsubscribed sign-up, or a manager's removed rows, leave links that lead nowhere."""
    person = visit.person
    if visit.rule.endpoint == "admin.logout" and response.status_code == 302:
        if person.name == "staff":
            person.csrf = _sign_in(app, person.client)
        else:
            with app.app_context():
                person.csrf = _csrf(person.client, "/managers/")
    real_parts = not any(name.startswith("<") for name in visit.odd)
    if real_parts and response.status_code in (404, 410) and visit.rule.arguments:
        if person.name == "resident":
            _sign_up(app, person, person.url_values["code"])
        elif person.name == "manager" and {"entry_id", "source_id"} & set(visit.rule.arguments):
            _add_rows(app, person)


@pytest.mark.parametrize("path", ["/u/%C2%B2.abc", "/u/2147483648.abc", "/u/%D9%A3.abc"])
def test_a_short_link_with_an_odd_number_is_a_404(client, path):
    """A superscript, an Arabic-Indic digit or a number past INTEGER in an SMS short link names no subscription."""
    response = client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize("raw_path", ["/address/\xff", "/managers/p/\xc0\xaf", "/admin/uploads/\xd9\xa3"])
def test_bytes_that_are_not_utf8_in_the_path_are_a_404(client, raw_path):
    """A server hands the path over as bytes (PEP 3333: latin-1 in PATH_INFO); none of them is a 500."""
    response = client.get("/", environ_overrides={"PATH_INFO": raw_path})
    response.close()
    assert response.status_code == 404
