"""The widget in a real browser, embedded by a host page on a second loopback origin (as chc.lt would)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "widget"

HOST_PAGE = """<!doctype html>
<html lang="lt">
<head>
  <meta charset="utf-8">
  <title>Karšto vandens išjungimai – chc.lt (test host)</title>
  <style>
    body {{ font-family: Arial, sans-serif; margin: 0; background: #eef1f4; color: #1b1b1b; }}
    header {{ background: #004b87; color: #fff; padding: 16px 32px; font-size: 22px; font-weight: bold; }}
    main {{ max-width: 720px; margin: 24px auto; background: #fff; padding: 24px 32px; }}
    footer {{ max-width: 720px; margin: 0 auto 24px; padding: 12px 32px; background: #d7dde3; }}
  </style>
</head>
<body>
  <header>chc.lt</header>
  <main>
    <h1>Karšto vandens išjungimai</h1>
    <p>Patikrinkite, ar jūsų name artimiausiu metu nebus išjungtas karštas vanduo.</p>
    <div data-karstas-vanduo data-lang="lt">
      <a href="{widget}/?lang=lt">Ar bus karšto vandens? Patikrinkite savo adresą</a>
    </div>
    <p id="after-widget">Informacija atnaujinama kiekvieną darbo dieną.</p>
  </main>
  <footer>Host page footer</footer>
  <script async src="{widget}/embed.js"></script>
</body>
</html>
"""


class HostSite:
    """A tiny web server on its own loopback port that serves one page with the snippet on it."""

    def __init__(self):
        site = self
        self.page_html = ""

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = site.page_html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # "localhost", not 127.0.0.1: a different origin (and site) from the widget's server.
        self.origin = f"http://localhost:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def serve_snippet_from(self, widget_url: str) -> str:
        self.page_html = HOST_PAGE.format(widget=widget_url)
        return self.origin + "/"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="module")
def allowed_host():
    host = HostSite()
    yield host
    host.stop()


@pytest.fixture(scope="module")
def stranger_host():
    host = HostSite()
    yield host
    host.stop()


@pytest.fixture
def app_settings(allowed_host):
    return {"EMBED_ALLOWED_ORIGINS": [allowed_host.origin, "https://chc.lt"]}


@pytest.fixture
def building(make_address, make_shutoff):
    address = make_address(street="Žirmūnų g.", number="12A")
    make_shutoff(address, starts_in=4, days=3)
    make_address(street="Žirmūnų g.", number="14")
    return address


def widget_iframe(page):
    return page.locator("[data-karstas-vanduo] iframe")


def iframe_height(page) -> float:
    return widget_iframe(page).bounding_box()["height"]


def wait_until_sized_to_content(page) -> None:
    """The widget reported its height and embed.js applied it: no scrolling inside the frame."""
    page.wait_for_function(
        """() => {
            const frame = document.querySelector('[data-karstas-vanduo] iframe');
            return frame && frame.style.height !== '260px';
        }"""
    )
    frame = widget_iframe(page).content_frame
    inner = frame.locator("#widget").evaluate("box => Math.ceil(box.getBoundingClientRect().height)")
    assert abs(iframe_height(page) - inner) <= 1


def test_an_allowed_host_embeds_the_widget_and_a_search_grows_it_to_fit(page, live_server, allowed_host, building):
    page.goto(allowed_host.serve_snippet_from(live_server.url))
    frame = widget_iframe(page).content_frame
    frame.get_by_label("Ar bus karšto vandens? Įveskite adresą").wait_for()
    assert "allow-top-navigation" not in widget_iframe(page).get_attribute("sandbox")
    wait_until_sized_to_content(page)
    before = iframe_height(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "host-before-search.png"), full_page=True)

    frame.get_by_label("Ar bus karšto vandens? Įveskite adresą").fill("zirmunu 12a")
    frame.get_by_role("button", name="Ieškoti").click()
    answer = frame.locator("#answer")
    answer.wait_for()
    assert "Žirmūnų g. 12A" in answer.inner_text()
    assert "Taip: karšto vandens nebus" in answer.inner_text()
    page.wait_for_function(
        "before => document.querySelector('[data-karstas-vanduo] iframe').getBoundingClientRect().height > before",
        arg=before,
    )
    wait_until_sized_to_content(page)
    assert iframe_height(page) > before
    page.screenshot(path=str(SCREENSHOTS / "host-after-search.png"), full_page=True)
    # On a phone the same answer wraps onto more lines; the iframe follows.
    wide = iframe_height(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_function(
        "wide => document.querySelector('[data-karstas-vanduo] iframe').getBoundingClientRect().height > wide",
        arg=wide,
    )
    wait_until_sized_to_content(page)
    page.screenshot(path=str(SCREENSHOTS / "host-after-search-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    # The host page's own content flows below the grown widget instead of being covered.
    assert page.locator("#after-widget").bounding_box()["y"] >= widget_iframe(page).bounding_box()["y"] + iframe_height(
        page
    )


def test_the_widget_sets_no_cookies(page, live_server, allowed_host, building):
    with page.expect_response(lambda r: "/embed?" in r.url) as first:
        page.goto(allowed_host.serve_snippet_from(live_server.url))
    responses = [first.value]
    frame = widget_iframe(page).content_frame
    for query in ("zirmunu 13", "Žirmūnų g. 12A", ""):
        frame.get_by_label("Ar bus karšto vandens? Įveskite adresą").fill(query)
        with page.expect_response(lambda r: "/embed?" in r.url and "q=" in r.url) as searched:
            frame.get_by_role("button", name="Ieškoti").click()
        responses.append(searched.value)
    frame.locator(".error-message").wait_for()  # the last, empty search answered in the frame
    assert all(response.header_value("set-cookie") is None for response in responses)
    assert page.context.cookies() == []
    assert frame.locator("html").evaluate("() => document.cookie") == ""


def test_the_building_page_opens_the_full_site_in_a_new_tab(page, live_server, allowed_host, building):
    page.goto(allowed_host.serve_snippet_from(live_server.url))
    frame = widget_iframe(page).content_frame
    frame.get_by_label("Ar bus karšto vandens? Įveskite adresą").fill("Žirmūnų g. 12A")
    frame.get_by_role("button", name="Ieškoti").click()
    with page.context.expect_page() as new_tab:
        frame.get_by_role("link", name="Namo puslapis").click()
    assert new_tab.value.url.startswith(f"{live_server.url}/address/{building.code}")
    assert page.url == allowed_host.origin + "/", "the host page stays where it was"


def test_on_a_site_that_is_not_allowed_the_link_stays_and_the_console_says_why(
    page, live_server, stranger_host, building
):
    messages = []
    page.on("console", lambda message: messages.append(message))
    with page.expect_console_message(lambda message: message.text.startswith("Karštas vanduo:")) as refusal:
        page.goto(stranger_host.serve_snippet_from(live_server.url))
    help_url = f"{live_server.url}/embed/help?origin=http%3A%2F%2Flocalhost%3A{stranger_host.origin.rsplit(':', 1)[1]}"
    assert refusal.value.type == "warning"
    assert refusal.value.text == (
        f"Karštas vanduo: svetainė {stranger_host.origin} neįrašyta į leidžiamų sąrašą (EMBED_ALLOWED_ORIGINS), "
        f"todėl paieška joje nerodoma ir lieka paprasta nuoroda. Kaip įrašyti svetainę: {help_url}"
    )
    link = page.get_by_role("link", name="Ar bus karšto vandens? Patikrinkite savo adresą")
    assert link.get_attribute("href") == f"{live_server.url}/?lang=lt"
    assert link.is_visible()
    assert page.locator("[data-karstas-vanduo] iframe").count() == 0
    page.wait_for_timeout(300)
    assert [m.text for m in messages if "Karštas vanduo" in m.text] == [refusal.value.text]  # once
    assert not [m for m in messages if "frame-ancestors" in m.text]  # no blocked frame at all
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "refused-host-keeps-the-link.png"), full_page=True)

    page.goto(help_url)
    assert page.locator(".origin-check").inner_text().startswith(f"{stranger_host.origin} dar negali rodyti valdiklio")
    page.locator("#check").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "help-page-refused-origin.png"), full_page=True)


def test_embed_js_ignores_height_messages_that_do_not_come_from_its_iframe(page, live_server, allowed_host, building):
    page.goto(allowed_host.serve_snippet_from(live_server.url))
    wait_until_sized_to_content(page)
    sized = iframe_height(page)
    page.evaluate("() => window.postMessage({type: 'karstas-vanduo:height', height: 3000}, '*')")
    page.wait_for_timeout(300)
    assert iframe_height(page) == sized


def test_the_help_page_preview_shows_the_working_widget(page, live_server, building):
    page.goto(f"{live_server.url}/embed/help")
    preview = page.locator(".embed-preview iframe")
    frame = preview.content_frame
    frame.get_by_label("Ar bus karšto vandens? Įveskite adresą").fill("zirmunu 12a")
    frame.get_by_role("button", name="Ieškoti").click()
    frame.locator("#answer").wait_for()
    page.wait_for_function("() => document.querySelector('.embed-preview iframe').style.height !== '260px'")
    page.screenshot(path=str(SCREENSHOTS / "help-page.png"), full_page=True)
