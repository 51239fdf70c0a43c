"""A sender stopped with SIGTERM (systemd on a deploy or shutdown) marks what the provider took as sent on its
way out: nothing it sent is offered again, and what it never started goes back for the next run."""

import os
import signal
from datetime import timedelta

from app.extensions import db
from app.notifications.channels.console import SENT, ConsoleChannel
from app.notifications.models import Channel, OutboxMessage, OutboxStatus
from app.timeutil import today_in_vilnius
from tests.helpers.subscribers import add_subscriber
from tests.notifications.helpers import stored


def test_a_sender_stopped_mid_run_marks_what_went_and_leaves_the_rest(runner, monkeypatch, make_address, make_shutoff):
    for n in range(6):
        home = make_address(number=str(n + 1))
        make_shutoff(home, first_day=today_in_vilnius() + timedelta(days=1))
        add_subscriber(Channel.EMAIL, f"resident{n}@example.lt", home.code)
    send = ConsoleChannel.send

    def send_then_get_stopped(channel, message):
        if len(SENT) == 3:
            os.kill(os.getpid(), signal.SIGTERM)  # as systemd stops the unit, after three went
        return send(channel, message)

    SENT.clear()
    monkeypatch.setattr(ConsoleChannel, "send", send_then_get_stopped)

    result = runner.invoke(args=["notify", "send"])

    assert result.exit_code == 128 + signal.SIGTERM
    db.session.expire_all()  # the stopped run never committed its session: read what the database holds
    statuses = [row.status for row in stored(OutboxMessage)]
    assert len(SENT) == 3
    assert statuses.count(OutboxStatus.SENT) == 3  # marked on the way out, not offered again
    assert statuses.count(OutboxStatus.SENDING) == 1  # the one on its way when stopped: offered after the lease
    assert statuses.count(OutboxStatus.PENDING) == 2  # never started: the next run sends them
    SENT.clear()
    assert "sent=2" in runner.invoke(args=["notify", "send"]).output
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is the command's alone
