"""Reading pages and messages the way a person does."""

import re

from bs4 import BeautifulSoup


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def csrf_token(response) -> str:
    return soup(response).select_one("input[name=csrf_token]")["value"]


def sign_up(client, *, address_codes: list[str], email: str = "", phone: str = "", **extra):
    """Open the form for the addresses and submit it as a resident would."""
    page = client.get("/subscribe", query_string=[("address", c) for c in address_codes])
    form = {
        "csrf_token": csrf_token(page),
        "address_codes": address_codes,
        "email": email,
        "phone": phone,
        "lead_days": ["10", "1"],
        "language": "lt",
        "consent": "y",
    }
    form.update(extra)
    return client.post("/subscribe", data={k: v for k, v in form.items() if v is not None})


def link_in(text: str, path: str) -> str:
    """The first absolute link to `path` in a message."""
    match = re.search(rf"https?://[^\s<>\"]+{re.escape(path)}[^\s<>\"]+", text)
    assert match, f"no {path} link in: {text}"
    return match.group(0)


def local(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
