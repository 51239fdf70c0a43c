"""Staff steps as a browser takes them: sign in, upload into a schedule, publish from the preview page."""

import io

from flask import g

from tests.helpers.html import csrf_token, soup

EMAIL = "darbuotoja@vst.lt"
PASSWORD = "ilgas-slaptazodis-1"
HEADER = "Adresai,Pradžia,Pabaiga,Priežastis"


def schedule_csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def another_browser(app):
    """A second person's browser: its own cookies. The tests share one app context across requests, where
    Flask-WTF caches the last session's CSRF token on g; a real request starts without it."""
    g.pop("csrf_token", None)
    return app.test_client()


def sign_in(client, email=EMAIL, password=PASSWORD, **kwargs):
    token = csrf_token(client.get("/admin/login"))
    return client.post("/admin/login", data={"csrf_token": token, "email": email, "password": password}, **kwargs)


def upload(client, content: str | bytes, filename: str = "grafikas.csv", schedule: str = "", new_schedule: str = ""):
    """Post the upload form as the dashboard offers it; `schedule` picks from the list (default: as preselected)."""
    page = soup(client.get("/admin/"))
    chosen = schedule or page.select_one("#schedule_name option[selected]")["value"]
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/admin/uploads",
        data={
            "csrf_token": page.select_one("input[name=csrf_token]")["value"],
            "schedule_name": chosen,
            "new_schedule_name": new_schedule,
            "schedule_file": (io.BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )


def publish_form(preview) -> dict:
    """The publish form of a preview page: its action and the fields it would send."""
    form = soup(preview).select_one("form[action$='/publish']")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[name]") if i.get("type") != "checkbox"}
    return {"action": form["action"], "fields": fields}


def publish(client, preview, confirm_count: str | None = None):
    """Press "publish" on a preview page (typing the count of cancellations when given)."""
    form = publish_form(preview)
    fields = dict(form["fields"])
    if confirm_count is not None:
        fields["confirm_count"] = confirm_count
    return client.post(form["action"], data=fields)
