"""Reading pages the way a person does: parse the HTML, select by CSS, read the text."""

from bs4 import BeautifulSoup


def soup(response) -> BeautifulSoup:
    """The response body parsed as HTML."""
    return BeautifulSoup(response.data, "html.parser")


def text_of(response, selector: str) -> str:
    """The whitespace-normalised text of the first element matching `selector` ('' when there is none)."""
    element = soup(response).select_one(selector)
    return " ".join(element.get_text(" ").split()) if element else ""


def csrf_token(response) -> str:
    """The CSRF token of the first form on the page."""
    return soup(response).select_one("input[name=csrf_token]")["value"]
