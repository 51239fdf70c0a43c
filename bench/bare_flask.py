"""The yardstick for bench/http_lookup.py: a bare Flask app with one JSON endpoint."""

from flask import Flask

app = Flask(__name__)


@app.get("/json")
def bare_json():
    return {"status": "ok"}
