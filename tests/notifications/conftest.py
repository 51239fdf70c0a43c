"""A real SMTP server (aiosmtpd) and a stand-in SMS gateway (http.server), both on loopback; subscribers."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from app.notifications.models import Channel
from tests.helpers.subscribers import add_subscriber
from tests.notifications.helpers import Mailbox, free_port


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


class Gateway:
    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200


@pytest.fixture
def sms_gateway():
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            gateway.requests.append({"headers": dict(self.headers), "json": json.loads(body)})
            status = gateway.status
            reply = {"id": f"sms-{len(gateway.requests)}"} if status == 200 else {"error": "nope"}
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    gateway.url = f"http://127.0.0.1:{server.server_port}/v1/sms"
    yield gateway
    server.shutdown()
    server.server_close()


@pytest.fixture
def real_channels(app, smtp_server, sms_gateway):
    """Point the app at the loopback SMTP server and gateway."""
    controller, mailbox = smtp_server
    app.config.update(
        NOTIFY_CHANNEL_EMAIL="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=controller.port,
        SMTP_SECURITY="none",
        SMTP_TIMEOUT=5,
        MAIL_FROM="Karštas vanduo <pranesimai@karstasvanduo.lt>",
        NOTIFY_CHANNEL_SMS="sms_http",
        SMS_GATEWAY_URL=sms_gateway.url,
        SMS_GATEWAY_TOKEN="gateway-secret",
        SMS_SENDER="VST",
    )
    return mailbox, sms_gateway


@pytest.fixture
def subscriber(app, make_address):
    """subscriber(*addresses, lead_days=(10, 1), digest=False, contact="jonas@example.lt", confirmed=True): an
    e-mail subscription stored directly (no sign-up, no confirmation message); creates a building if none."""

    def make(*addresses, lead_days=(10, 1), digest=False, contact="jonas@example.lt", confirmed=True):
        addresses = addresses or (make_address(),)
        codes = [a.code for a in addresses]
        lead = ",".join(str(days) for days in sorted(lead_days, reverse=True))
        extra = {} if confirmed else {"confirmed_at": None}
        return add_subscriber(Channel.EMAIL, contact, *codes, lead_days=lead, digest=digest, language="lt", **extra)

    return make
