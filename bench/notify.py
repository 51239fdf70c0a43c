"""Send 10,000 due reminders to a local SMTP server; then kill a sender halfway and start again.

Usage: python bench/notify.py [--count 10000] [--senders 1]

1. Timed: a fresh SQLite database with COUNT confirmed e-mail subscriptions, each following a building
   whose hot water goes off tomorrow; `flask notify send` (subprocesses, as cron runs it; --senders of
   them at once, as on several machines) sends them to an aiosmtpd server on 127.0.0.1.
2. Crash: the same again, but the sender is killed with SIGKILL when about half the messages have
   arrived; after its lease runs out two senders start at once (two machines) and finish the job.

The SMTP server plays a provider that deduplicates on Message-ID (each outbox row keeps one
Message-ID across retries). The message that was in flight when the sender died — accepted by the
server but not yet marked sent — is offered again; the line `resubmitted=` shows how many such
repeats the kill caused (the at-least-once window: at most one per sender killed). `duplicates`
counts messages delivered to the mailbox more than once; `lost` those never delivered.
Last line: sent=10000 duplicates=0 lost=0 seconds=S (S = the timed run).
"""

import argparse
import collections
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller
from sqlalchemy import func, insert, select

from app import create_app
from app.addresses.models import Address, Street
from app.extensions import db
from app.notifications.models import OutboxMessage, OutboxStatus, Subscription, SubscriptionAddress
from app.shutoffs.models import Shutoff
from app.timeutil import today_in_vilnius, utcnow

ROOT = Path(__file__).resolve().parent.parent
LEASE_SECONDS = 4


class DeduplicatingMailbox:
    """An SMTP "provider": stores each Message-ID once, counts every submission."""

    def __init__(self):
        self.lock = threading.Lock()
        self.submissions: collections.Counter[str] = collections.Counter()
        self.delivered: collections.Counter[str] = collections.Counter()

    async def handle_DATA(self, server, session, envelope):
        message_id = ""
        for line in envelope.content.split(b"\r\n"):
            if not line:
                break
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
        with self.lock:
            self.submissions[message_id] += 1
            if message_id not in self.delivered:
                self.delivered[message_id] += 1
        return f"250 2.0.0 Ok: queued as {message_id}"

    @property
    def received(self) -> int:
        with self.lock:
            return len(self.delivered)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(database: Path, count: int) -> None:
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    tomorrow = today_in_vilnius() + timedelta(days=1)
    now = utcnow()
    with app.app_context():
        # WAL: readers and several senders side by side; the sender then commits each mark without an fsync.
        db.session.connection().exec_driver_sql("PRAGMA journal_mode=WAL")
        db.create_all()
        db.session.execute(insert(Street), [{"code": "1", "name": "Žirmūnų", "type_word": "gatvė", "type_abbr": "g."}])
        db.session.execute(
            insert(Address), [{"code": str(100000 + i), "street_code": "1", "number": str(i + 1)} for i in range(count)]
        )
        db.session.execute(
            insert(Shutoff),
            [
                {"address_code": str(100000 + i), "first_day": tomorrow, "last_day": tomorrow, "kind": "hydraulic_test"}
                for i in range(count)
            ],
        )
        db.session.execute(
            insert(Subscription),
            [
                {
                    "id": i + 1,
                    "channel": "email",
                    "contact": f"resident{i}@example.lt",
                    "contact_key": f"resident{i}@example.lt",
                    "language": ("lt", "en", "ru", "pl")[i % 4],
                    "lead_days_csv": "10,1",
                    "consent_text": "Sutinku",
                    "consent_version": "bench",
                    "consented_at": now,
                    "confirmed_at": now,
                    "token_nonce": f"n{i}",
                }
                for i in range(count)
            ],
        )
        db.session.execute(
            insert(SubscriptionAddress),
            [{"subscription_id": i + 1, "address_code": str(100000 + i)} for i in range(count)],
        )
        db.session.commit()
        db.engine.dispose()


def sender_env(database: Path, port: int) -> dict:
    env = dict(os.environ)
    env.update(
        APP_ENV="development",
        DATABASE_URL=f"sqlite:///{database}",
        NOTIFY_CHANNEL_EMAIL="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(port),
        SMTP_SECURITY="none",
        NOTIFY_LEASE_SECONDS=str(LEASE_SECONDS),
        SERVER_BASE_URL="https://karstasvanduo.example",
    )
    return env


def start_sender(database: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "notify", "send"],
        cwd=ROOT,
        env=sender_env(database, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def outbox_counts(database: Path) -> dict[str, int]:
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
        db.engine.dispose()
    return {str(OutboxStatus(status)): n for status, n in rows}


def timed_run(tmp: Path, count: int, senders: int) -> float:
    database = tmp / "timed.sqlite"
    seed(database, count)
    mailbox = DeduplicatingMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        started = time.perf_counter()
        server_cpu = time.process_time()
        processes = [start_sender(database, controller.port) for _ in range(senders)]
        outputs = [process.communicate()[0] for process in processes]
        seconds = time.perf_counter() - started
        server_cpu = time.process_time() - server_cpu
    finally:
        controller.stop()
    for output, process in zip(outputs, processes, strict=True):
        if process.returncode:
            print(output)
        print(f"timed run, one sender: {output.strip().splitlines()[-1]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"timed run: CPU of the senders {usage.ru_utime + usage.ru_stime:.1f} s, of the SMTP server {server_cpu:.1f} s "
        f"(on {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})"
    )
    print(f"timed run: {senders} senders at once, received={mailbox.received} seconds={seconds:.2f}")
    return seconds


def crash_run(tmp: Path, count: int, senders: int) -> tuple[int, int, int, int]:
    database = tmp / "crash.sqlite"
    seed(database, count)
    mailbox = DeduplicatingMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        first = start_sender(database, controller.port)
        # Halfway, and off the batch boundaries, so the kill lands in the middle of a batch.
        while mailbox.received < count // 2 + 17 and first.poll() is None:
            time.sleep(0.005)
        first.send_signal(signal.SIGKILL)
        first.wait()
        at_kill = mailbox.received
        print(f"killed the sender (SIGKILL) after {at_kill} messages; outbox: {outbox_counts(database)}")
        time.sleep(LEASE_SECONDS + 0.5)  # the dead sender's lease runs out
        again = [start_sender(database, controller.port) for _ in range(senders)]
        for process in again:
            output, _ = process.communicate()
            if process.returncode:
                print(output)
            print(f"restarted sender: {output.strip().splitlines()[-1]}")
    finally:
        controller.stop()
    expected = {f"<outbox-{i}@karstasvanduo.lt>" for i in range(1, count + 1)}
    delivered = set(mailbox.delivered)
    duplicates = sum(1 for n in mailbox.delivered.values() if n > 1)
    resubmitted = sum(n - 1 for n in mailbox.submissions.values() if n > 1)
    lost = len(expected - delivered)
    counts = outbox_counts(database)
    print(f"outbox after restart: {counts}")
    print(f"resubmitted={resubmitted} (offered again after the kill; the provider kept one copy by Message-ID)")
    return len(delivered & expected), duplicates, lost, counts.get("sent", 0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=2, help="senders run at once (as cron on two machines)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        seconds = timed_run(tmp, args.count, args.senders)
        sent, duplicates, lost, marked = crash_run(tmp, args.count, args.senders)
    if marked != args.count:
        print(f"warning: {marked} outbox rows marked sent, expected {args.count}")
    print(f"sent={sent} duplicates={duplicates} lost={lost} seconds={seconds:.1f}")


if __name__ == "__main__":
    main()
