"""/healthz and /readyz: what the service manager and an operator's probe see."""

from app import create_app
from app.datacache import bump_data_version
from app.extensions import db


def test_healthz_answers_ok_and_is_never_cached(client):
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok\n")
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ready_once_the_register_is_imported(client, make_address):
    make_address("Žirmūnų g.", "12A")
    bump_data_version("register")
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "register": "ok",
            "address_index": "ok",
            "schedule": "ok",
            "rate_limit_storage": "ok",
        },
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_says_the_register_was_never_imported(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "not ready"
    assert response.json["checks"]["register"] == "failed: LookupError"
    assert response.json["checks"]["database"] == "ok"


def test_readyz_names_an_unreachable_database_without_revealing_its_address(tmp_path):
    missing = tmp_path / "no-such-directory" / "db.sqlite"
    client = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}").test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "failed: OperationalError"
    assert str(tmp_path) not in response.text
    assert client.get("/healthz").status_code == 200
