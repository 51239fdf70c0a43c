"""NUL characters from the wire never reach a view (PostgreSQL refuses them in text)."""

from urllib.parse import quote

import pytest
from flask import session
from werkzeug.exceptions import NotFound

from app.admin.accounts import create_staff_user
from app.requests import clean_filename, database_integer, has_control_characters
from tests.admin.helpers import sign_in


@pytest.mark.parametrize("path", ["/address/%00", "/address/1%002", "/managers/p/%00", "/unsubscribe/%00"])
def test_a_nul_in_the_path_is_a_404(client, path):
    assert client.get(path).status_code == 404


def test_a_nul_in_the_query_string_is_dropped(client, make_address):
    make_address(street="Žirmūnų g.", number="12")
    body = client.get("/api/v1/lookup", query_string={"q": "Žirmūnų\x00 12"}).get_json()
    assert body["query"] == "Žirmūnų 12"
    assert body["status"] == "found"


def test_a_session_lasts_across_requests_and_a_forged_cookie_is_ignored(app, client):
    @app.get("/visits")
    def visits():
        session["visits"] = session.get("visits", 0) + 1
        return str(session["visits"])

    assert [client.get("/visits").text for _ in range(3)] == ["1", "2", "3"]
    client.set_cookie("session", "eyJ2aXNpdHMiOjQxfQ.forged.signature")
    assert client.get("/visits").text == "1"
    client.delete_cookie("session")
    assert client.get("/visits").text == "1"


@pytest.mark.parametrize(
    "number",
    [
        "²",  # a superscript: "²".isdigit() is True, int("²") raises
        "٣",  # an Arabic-Indic three: int("٣") is 3, so it would name upload 3
        "３",  # a fullwidth three
        "2147483648",  # one past PostgreSQL's INTEGER
        "9223372036854775808",  # 2**63: PostgreSQL raises
        "18446744073709551616",  # 2**64: SQLite raises
        "9" * 5000,  # past Python's limit on digits int() reads
        "-1",
        "1e3",
    ],
)
def test_an_integer_in_the_path_beyond_ascii_digits_or_the_database_range_matches_no_route(app, number):
    adapter = app.url_map.bind("localhost")
    with pytest.raises(NotFound):
        adapter.match(f"/admin/uploads/{number}")
    with pytest.raises(NotFound):
        adapter.match(f"/managers/p/abc/rows/{number}/pick", method="POST")


def test_a_huge_upload_id_is_a_404_page_for_signed_in_staff(client):
    create_staff_user("darbuotoja@vst.lt", "ilgas-slaptazodis-1")
    sign_in(client, "darbuotoja@vst.lt", "ilgas-slaptazodis-1")
    assert client.get(f"/admin/uploads/{2**63}").status_code == 404
    assert client.get(f"/admin/uploads/{quote('٣')}").status_code == 404


def test_the_largest_database_integer_still_reaches_the_view(app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/admin/uploads/2147483647") == ("admin.preview", {"upload_id": 2147483647})
    assert adapter.match("/admin/uploads/007") == ("admin.preview", {"upload_id": 7})


@pytest.mark.parametrize(
    ("text", "has_them"),
    [
        ("Bendrija Žirmūnai", False),
        ("/admin/audit?x=1", False),
        ("a\rb", True),
        ("a\nb", True),
        ("a\tb", True),
        ("a\x00b", True),
        ("a\x7fb", True),
        ("a\x85b", True),  # NEL, a C1 line break
        ("a\u2028b", True),  # the Unicode line separator
    ],
)
def test_control_characters_are_told_apart_from_text(text, has_them):
    assert has_control_characters(text) is has_them


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0", 0),
        (" 42 ", 42),
        ("2147483647", 2147483647),
        ("2147483648", None),
        ("٣", None),
        ("²", None),
        ("+3", None),
        ("3_000", None),
        ("-1", None),
        ("9" * 5000, None),
        ("", None),
        (None, None),
    ],
)
def test_a_posted_integer_is_ascii_digits_within_the_database_range(text, number):
    assert database_integer(text) == number


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("namai.csv", "namai.csv"),
        ("Sąrašas 2027.xlsx", "Sąrašas 2027.xlsx"),
        ("namai\x00.csv", "namai.csv"),
        ("C:\\Users\\Ona\\namai.csv", "namai.csv"),
        ("../../etc/passwd", "passwd"),
        ("a\r\nb.csv", "ab.csv"),
        ("n" * 300 + ".csv", "n" * 251 + ".csv"),
        ("n" * 300, "n" * 255),
        ("\x00", ""),
        (None, ""),
    ],
)
def test_an_uploaded_file_name_is_its_printable_base_name_of_at_most_255_characters(sent, kept):
    assert clean_filename(sent) == kept
