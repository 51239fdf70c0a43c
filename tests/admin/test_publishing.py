"""Publishing in /admin as staff do it: upload into a schedule, read the preview, confirm, publish."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.addresses.models import Address
from app.extensions import db
from app.notifications.models import Channel
from app.shutoffs.models import Schedule, ScheduleBatch, Shutoff
from app.timeutil import today_in_vilnius
from tests.admin.helpers import publish, publish_form, schedule_csv, sign_in, upload
from tests.helpers.html import soup, text_of
from tests.helpers.subscribers import add_sent_reminder, add_subscriber

ROW = "{where},2030-05-10,2030-05-11,Hidrauliniai bandymai"


@pytest.fixture
def register(make_address):
    """Žirmūnų g. 1–30, Liepų al. 1–6 and Konstitucijos pr. 1–5; returns labels → codes."""
    addresses = [make_address("Žirmūnų g.", str(n)) for n in range(1, 31)]
    addresses += [make_address("Liepų al.", str(n)) for n in range(1, 7)]
    addresses += [make_address("Konstitucijos pr.", str(n)) for n in range(1, 6)]
    return {a.label: a.code for a in addresses}


@pytest.fixture
def signed_in(client, staff, register):
    sign_in(client)
    return client


def shutoffs(schedule: str = "Pagrindinis grafikas") -> dict[str, tuple]:
    """label → (status, first day, last day) of a schedule's shutoffs."""
    rows = db.session.execute(
        select(Address.code, Shutoff.status, Shutoff.first_day, Shutoff.last_day)
        .join(Shutoff.address)
        .join(Shutoff.schedule)
        .where(Schedule.name == schedule)
    )
    labels = {a.code: a.label for a in db.session.scalars(select(Address))}
    return {labels[code]: (str(status), first, last) for code, status, first, last in rows}


def publish_file(client, content: str, **upload_args):
    preview = client.get(upload(client, content, **upload_args).location)
    return publish(client, preview)


def table_rows(page, selector: str) -> list[str]:
    return [" | ".join(td.get_text(" ", strip=True) for td in tr.select("td")) for tr in page.select(selector)]


def test_upload_preview_shows_counts_and_publish_writes_shutoffs(signed_in):
    response = upload(
        signed_in, schedule_csv('"Žirmūnų g. 2, 4; Liepų al. 3–5",2030-05-10,2030-05-11,Hidrauliniai bandymai')
    )
    assert response.status_code == 302
    preview = soup(signed_in.get(response.location))
    counts = {dd["data-count"]: dd.get_text(strip=True) for dd in preview.select("dd[data-count]")}
    assert counts == {"rows": "1", "addresses": "5", "new": "5", "moved": "0", "cancelled": "0", "unchanged": "0"}
    assert preview.select_one("[data-schedule]").get_text() == "Grafikas „Pagrindinis grafikas“"
    assert db.session.scalar(select(func.count()).select_from(Shutoff)) == 0  # a preview writes nothing

    published = publish(signed_in, signed_in.get(response.location))
    assert published.location == "/admin/"
    assert text_of(signed_in.get("/admin/"), "[role=status]") == (
        "Grafikas „Pagrindinis grafikas“ paskelbtas. "
        "Eilučių: 1, adresų: 5; naujų: 5, perkeltų: 0, atšauktų: 0, nepakitusių: 0"
    )
    assert set(shutoffs()) == {"Žirmūnų g. 2", "Žirmūnų g. 4", "Liepų al. 3", "Liepų al. 4", "Liepų al. 5"}


def test_a_published_file_cannot_be_published_twice(signed_in):
    response = upload(signed_in, schedule_csv(ROW.format(where="Žirmūnų g. 2")))
    preview = signed_in.get(response.location)
    signed_in.get(publish(signed_in, preview).location)  # the dashboard, with its banner
    second = publish(signed_in, preview)
    assert second.status_code == 302
    assert text_of(signed_in.get(second.location), "[role=status]") == "Šis failas jau paskelbtas."
    assert db.session.scalar(select(func.count()).select_from(ScheduleBatch)) == 1


def test_the_preview_shows_each_row_as_written_and_as_read_with_a_marker_on_a_corrected_street(signed_in):
    content = schedule_csv(
        '"Kostitucjos pr. 1–3; Žirmūnų g.: 2, 4",2030-05-10,2030-05-11,Hidrauliniai bandymai',
        "Liepų al. (visi),2030-06-01,2030-06-01,Vamzdynų remontas",
    )
    preview = soup(signed_in.get(upload(signed_in, content).location))
    first, second = preview.select("table.rows tbody tr")
    cells = [td for td in first.select("td")]
    assert cells[0].get_text(strip=True) == "2"
    assert cells[1].get_text(strip=True) == "Kostitucjos pr. 1–3; Žirmūnų g.: 2, 4"
    readings = [r.get_text(" ", strip=True) for r in cells[2].select(".reading")]
    assert readings == ["Konstitucijos pr. pataisyta: „Kostitucjos pr.“", "Žirmūnų g."]
    assert cells[3].select_one("summary").get_text(strip=True) == "5 pastatai"
    assert [li.get_text() for li in cells[3].select("li")] == [
        "Konstitucijos pr. 1",
        "Konstitucijos pr. 2",
        "Konstitucijos pr. 3",
        "Žirmūnų g. 2",
        "Žirmūnų g. 4",
    ]
    assert cells[4].get_text(strip=True) == "2030 m. gegužės 10–11 d."
    assert cells[5].get_text(" ", strip=True) == "hidrauliniai bandymai"
    assert second.select("td")[2].select("[data-corrected]") == []
    assert second.select_one("summary").get_text(strip=True) == "6 pastatai"


def test_unresolved_rows_come_first_with_suggestions_and_nothing_can_be_published(signed_in):
    content = schedule_csv(ROW.format(where="Žirmūnų g. 2"), ROW.format(where="Žirmūnų g. 31"))
    preview_response = signed_in.get(upload(signed_in, content).location)
    preview = soup(preview_response)
    assert table_rows(preview, "table.problems tbody tr") == [
        "3 | Žirmūnų g. 31 | Žirmūnų g. Nr. 31 nerastas | Žirmūnų g. 30; Žirmūnų g. 29; Žirmūnų g. 28"
    ]
    tables = preview.select("table")
    assert "problems" in tables[0]["class"]  # before every other table on the page
    assert preview.select_one("form[action$='/publish']") is None
    action = preview_response.request.path + "/publish"
    token = preview.select_one("input[name=csrf_token]")["value"]
    signed_in.post(action, data={"csrf_token": token, "version": "0", "cancellations": "0"})
    assert db.session.scalar(select(func.count()).select_from(Shutoff)) == 0


def test_a_partial_file_cancels_nothing_and_says_what_it_leaves_alone(signed_in):
    publish_file(signed_in, schedule_csv(*(ROW.format(where=f"Žirmūnų g. {n}") for n in (1, 2, 3))))
    partial = schedule_csv("Žirmūnų g. 2,2030-05-20,2030-05-21,Hidrauliniai bandymai")
    preview_response = signed_in.get(upload(signed_in, partial).location)
    preview = soup(preview_response)
    assert preview.select_one("dd[data-count=cancelled]").get_text() == "0"
    assert preview.select_one("#missing").get_text() == "Faile nepaminėti išjungimai (2)"
    assert table_rows(preview, "[data-list=missing] tbody tr") == [
        "Žirmūnų g. 1 | 2030 m. gegužės 10–11 d. | hidrauliniai bandymai | faile nėra",
        "Žirmūnų g. 3 | 2030 m. gegužės 10–11 d. | hidrauliniai bandymai | faile nėra",
    ]
    assert preview.select_one("#confirm_count") is None  # nothing to confirm: nothing is cancelled
    publish(signed_in, preview_response)
    assert shutoffs() == {
        "Žirmūnų g. 1": ("planned", date(2030, 5, 10), date(2030, 5, 11)),
        "Žirmūnų g. 2": ("moved", date(2030, 5, 20), date(2030, 5, 21)),
        "Žirmūnų g. 3": ("planned", date(2030, 5, 10), date(2030, 5, 11)),
    }


def test_cancelling_what_the_file_leaves_out_lists_each_and_needs_the_count_typed(signed_in):
    publish_file(signed_in, schedule_csv(*(ROW.format(where=f"Žirmūnų g. {n}") for n in (1, 2, 3, 4))))
    location = upload(signed_in, schedule_csv(ROW.format(where="Žirmūnų g. 2"))).location
    checkbox = soup(signed_in.get(location)).select_one("input[type=checkbox][name=cancel_missing]")
    assert checkbox["value"] == "1"
    with_cancellations = signed_in.get(location, query_string={"cancel_missing": "1"})
    preview = soup(with_cancellations)
    assert preview.select_one("#cancelled").get_text() == "Atšaukiami (3)"
    assert table_rows(preview, "#cancelled + div tbody tr") == [
        "Žirmūnų g. 1 | 2030 m. gegužės 10–11 d. | hidrauliniai bandymai | faile nėra",
        "Žirmūnų g. 3 | 2030 m. gegužės 10–11 d. | hidrauliniai bandymai | faile nėra",
        "Žirmūnų g. 4 | 2030 m. gegužės 10–11 d. | hidrauliniai bandymai | faile nėra",
    ]
    assert preview.select_one("#confirm_count-hint").get_text() == (
        "Įrašykite skaičių 3, kad patvirtintumėte, jog bus atšaukta tiek išjungimų."
    )
    assert preview.select_one("[data-warning]") is not None  # 3 of 4 is more than a tenth

    for typed in (None, "", "2", "trys"):
        refused = publish(signed_in, with_cancellations, confirm_count=typed)
        assert refused.status_code == 400
        page = soup(refused)
        assert page.select_one(".error-summary a[href='#confirm_count']").get_text() == (
            "Įrašykite atšaukiamų išjungimų skaičių (3), kad patvirtintumėte."
        )
        assert page.select_one("title").get_text().startswith("Klaida:")
        assert {status for status, _first, _last in shutoffs().values()} == {"planned"}

    assert publish(signed_in, with_cancellations, confirm_count=" 3 ").location == "/admin/"
    assert {label: status for label, (status, _f, _l) in shutoffs().items()} == {
        "Žirmūnų g. 1": "cancelled",
        "Žirmūnų g. 2": "planned",
        "Žirmūnų g. 3": "cancelled",
        "Žirmūnų g. 4": "cancelled",
    }


@pytest.mark.parametrize(
    ("kept", "warning"),
    [
        (9, "Bus atšauktas 21 išjungimas: daugiau nei 20 arba dešimtadalis grafiko (jame vyksiančių: 30)."),
        (26, "Bus atšaukti 4 išjungimai: daugiau nei 20 arba dešimtadalis grafiko (jame vyksiančių: 30)."),
        (28, None),  # 2 of 30: neither more than 20 nor more than a tenth
    ],
)
def test_a_cancellation_of_more_than_20_or_a_tenth_is_warned_about(signed_in, kept, warning):
    everything = [ROW.format(where=f"Žirmūnų g. {n}") for n in range(1, 31)]
    publish_file(signed_in, schedule_csv(*everything))
    location = upload(signed_in, schedule_csv(*everything[:kept])).location
    preview = soup(signed_in.get(location, query_string={"cancel_missing": "1"}))
    assert preview.select_one("dd[data-count=cancelled]").get_text() == str(30 - kept)
    shown = preview.select_one("[data-warning] .warning-text__text")
    if warning is None:
        assert shown is None
    else:
        assert shown.get_text(" ", strip=True) == (
            f"Dėmesio {warning} Gyventojams bus pranešta apie atšaukimą. Patikrinkite sąrašą „Atšaukiami“."
        )
    assert preview.select_one("#confirm_count") is not None  # cancelling what is left out is always confirmed


def test_a_row_marked_atsaukta_cancels_what_it_names_and_only_that(signed_in):
    publish_file(signed_in, schedule_csv(ROW.format(where='"Žirmūnų g. 1–3"')))
    content = schedule_csv(
        "Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai,atšaukta",
        header="Adresai,Pradžia,Pabaiga,Priežastis,Būsena",
    )
    response = signed_in.get(upload(signed_in, content).location)
    preview = soup(response)
    assert table_rows(preview, "#cancelled + div tbody tr") == [
        "Žirmūnų g. 2 | 2030 m. gegužės 10–11 d. | hidrauliniai bandymai | 2"
    ]
    assert preview.select_one("tr[data-row='2'] .tag").get_text() == "atšaukta"
    assert preview.select_one("[data-warning]") is not None  # 1 of 3 is more than a tenth
    publish(signed_in, response, confirm_count="1")
    assert {label: status for label, (status, _f, _l) in shutoffs().items()} == {
        "Žirmūnų g. 1": "planned",
        "Žirmūnų g. 2": "cancelled",
        "Žirmūnų g. 3": "planned",
    }


def test_moves_are_listed_per_building_with_the_old_and_new_dates(signed_in):
    publish_file(signed_in, schedule_csv(ROW.format(where='"Žirmūnų g. 1–2"'), ROW.format(where="Liepų al. 1")))
    content = schedule_csv(
        '"Žirmūnų g. 1, 2",2030-05-20,2030-05-22,Hidrauliniai bandymai', ROW.format(where="Liepų al. 1")
    )
    preview = soup(signed_in.get(upload(signed_in, content).location))
    assert table_rows(preview, "#moved + div tbody tr") == [
        "Žirmūnų g. 1 | 2030 m. gegužės 10–11 d. | 2030 m. gegužės 20–22 d. | hidrauliniai bandymai | 2",
        "Žirmūnų g. 2 | 2030 m. gegužės 10–11 d. | 2030 m. gegužės 20–22 d. | hidrauliniai bandymai | 2",
    ]
    assert table_rows(preview, "[data-list=unchanged] tbody tr") == [
        "Liepų al. 1 | 2030 m. gegužės 10–11 d. | hidrauliniai bandymai | 3"
    ]
    assert preview.select_one("#new").get_text() == "Nauji (0)"


def test_fixing_a_rows_spelling_and_adding_a_house_changes_nothing_for_the_buildings_already_there(signed_in):
    publish_file(signed_in, schedule_csv(ROW.format(where='"Kostitucjos pr. 1, 2"')))
    fixed = schedule_csv(ROW.format(where='"Konstitucijos pr. 1, 2, 3"'))
    preview = soup(signed_in.get(upload(signed_in, fixed).location))
    counts = {dd["data-count"]: dd.get_text(strip=True) for dd in preview.select("dd[data-count]")}
    assert (counts["new"], counts["moved"], counts["cancelled"], counts["unchanged"]) == ("1", "0", "0", "2")


def test_the_preview_counts_the_emails_and_sms_publishing_will_send_by_kind(signed_in, register, make_shutoff):
    today = today_in_vilnius()
    moving = make_shutoff(db.session.get(Address, register["Žirmūnų g. 1"]), today + timedelta(days=20))
    add_sent_reminder(add_subscriber(Channel.EMAIL, "jonas@example.lt", register["Žirmūnų g. 1"]), moving)
    add_subscriber(Channel.SMS, "+37060000001", register["Žirmūnų g. 2"])
    add_subscriber(Channel.SMS, "+37060000002", register["Žirmūnų g. 3"], lead_days="1")  # not yet due
    soon, later = today + timedelta(days=5), today + timedelta(days=40)
    content = schedule_csv(
        f"Žirmūnų g. 1,{later},{later},Hidrauliniai bandymai",
        f'"Žirmūnų g. 2, 3",{soon},{soon},Hidrauliniai bandymai',
    )
    preview = soup(signed_in.get(upload(signed_in, content).location))
    assert [li.get_text() for li in preview.select("[data-messages] li")] == [
        "El. laiškų – apie perkeltą išjungimą: 1",
        "SMS žinučių – priminimai apie išjungimą: 1",
    ]


def test_a_preview_with_no_one_to_tell_says_so(signed_in):
    preview = soup(signed_in.get(upload(signed_in, schedule_csv(ROW.format(where="Žirmūnų g. 2"))).location))
    assert preview.select_one("[data-messages]").get_text() == "Paskelbus pranešimų nebus siunčiama."


def test_a_preview_published_after_another_publication_is_refused_with_a_link_to_preview_again(signed_in):
    first = signed_in.get(upload(signed_in, schedule_csv(ROW.format(where="Žirmūnų g. 1"))).location)
    second = signed_in.get(upload(signed_in, schedule_csv(ROW.format(where="Žirmūnų g. 2"))).location)
    assert publish(signed_in, second).location == "/admin/"

    stale = publish(signed_in, first)
    assert stale.status_code == 409
    page = soup(stale)
    assert page.select_one("[data-stale]").get_text() == (
        "Grafiką „Pagrindinis grafikas“ ką tik paskelbė kitas darbuotojas (arba skelbia dabar). "
        "Peržiūrėkite failą iš naujo: pakeitimai skaičiuojami nuo naujausio grafiko."
    )
    again = page.select_one("a[data-preview-again]")["href"]
    assert again == first.request.path
    assert set(shutoffs()) == {"Žirmūnų g. 2"}

    assert publish(signed_in, signed_in.get(again)).location == "/admin/"
    assert set(shutoffs()) == {"Žirmūnų g. 1", "Žirmūnų g. 2"}


def test_a_preview_whose_cancellations_changed_since_is_refused(signed_in):
    publish_file(signed_in, schedule_csv(ROW.format(where="Žirmūnų g. 1"), ROW.format(where="Žirmūnų g. 2")))
    location = upload(signed_in, schedule_csv(ROW.format(where="Žirmūnų g. 1"))).location
    preview = signed_in.get(location, query_string={"cancel_missing": "1"})
    form = publish_form(preview)
    fields = {**form["fields"], "cancellations": "0", "confirm_count": "1"}  # a preview that showed none
    assert signed_in.post(form["action"], data=fields).status_code == 409
    assert shutoffs()["Žirmūnų g. 2"][0] == "planned"


def test_a_file_changes_only_its_own_schedule(signed_in):
    publish_file(signed_in, schedule_csv(ROW.format(where='"Žirmūnų g. 1–3"')))
    content = schedule_csv("Liepų al. 1,2030-07-01,2030-07-02,Vamzdynų remontas")
    location = upload(signed_in, content, new_schedule=" Remontai  2030 ").location
    preview = soup(signed_in.get(location, query_string={"cancel_missing": "1"}))
    assert preview.select_one("[data-schedule]").get_text() == "Grafikas „Remontai 2030“"
    assert preview.select_one("dd[data-count=cancelled]").get_text() == "0"
    publish(signed_in, signed_in.get(location, query_string={"cancel_missing": "1"}))
    assert set(shutoffs("Remontai 2030")) == {"Liepų al. 1"}
    assert {status for status, _f, _l in shutoffs().values()} == {"planned"}
    assert len(shutoffs()) == 3
    dashboard = soup(signed_in.get("/admin/"))
    assert table_rows(dashboard, "[data-schedules] tbody tr") == [
        "Pagrindinis grafikas | 3 | 1",
        "Remontai 2030 | 1 | 1",
    ]
    assert [o["value"] for o in dashboard.select("#schedule_name option")] == ["Pagrindinis grafikas", "Remontai 2030"]


def test_an_existing_schedule_typed_in_other_capitals_is_the_same_schedule(signed_in):
    publish_file(signed_in, schedule_csv(ROW.format(where="Žirmūnų g. 1")), new_schedule="Remontai")
    publish_file(signed_in, schedule_csv(ROW.format(where="Žirmūnų g. 2")), new_schedule="remontai")
    assert db.session.scalars(select(Schedule.name)).all() == ["Remontai"]
    assert set(shutoffs("Remontai")) == {"Žirmūnų g. 1", "Žirmūnų g. 2"}


@pytest.mark.parametrize(
    ("new_schedule", "picked", "field", "message"),
    [
        ("Remontai\r\nX", "", "new_schedule_name", "Grafiko pavadinime negali būti valdymo simbolių"),
        ("R" * 121, "", "new_schedule_name", "Grafiko pavadinimas per ilgas: ne daugiau kaip 120 simbolių."),
        ("", "Nėra tokio", "schedule_name", "Pasirinkite grafiką arba įrašykite naujo pavadinimą"),
    ],
)
def test_a_schedule_name_that_cannot_be_used_is_refused_beside_its_field(
    signed_in, new_schedule, picked, field, message
):
    response = upload(
        signed_in, schedule_csv(ROW.format(where="Žirmūnų g. 1")), schedule=picked, new_schedule=new_schedule
    )
    assert response.status_code == 200
    assert message in soup(response).select_one(f"#{field}-error").get_text()
    assert db.session.scalar(select(func.count()).select_from(Schedule)) == 0


@pytest.mark.parametrize(
    ("version", "cancellations"),
    [("٠", "0"), ("0", "٠"), ("０", "0"), ("9" * 30, "0"), ("-0", "0"), ("", "0"), ("0", "0x0")],
)
def test_a_publish_form_whose_numbers_are_not_plain_digits_publishes_nothing(signed_in, version, cancellations):
    preview = signed_in.get(upload(signed_in, schedule_csv(ROW.format(where="Žirmūnų g. 2"))).location)
    form = publish_form(preview)
    response = signed_in.post(
        form["action"], data=form["fields"] | {"version": version, "cancellations": cancellations}
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Shutoff)) == 0
