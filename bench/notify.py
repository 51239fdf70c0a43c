"""10,000 due reminders to a local SMTP server: throughput beside a raw smtplib loop, and two senders with one
killed halfway.

Usage: python bench/notify.py [--count 10000] [--senders 2]

1. Raw: one process sends COUNT ready-made messages of the same size with smtplib over one connection to an
   aiosmtpd server on 127.0.0.1 — the most this server takes from one client, in this run, on this machine.
   Run just before and just after the timed run (the load of a shared machine drifts); raw_per_s is the mean.
2. Timed: a fresh SQLite database (WAL) with COUNT confirmed e-mail subscriptions, each following a building
   whose hot water goes off tomorrow, plus one poisoned row in the middle (an address with a header smuggled
   into it, as a careless import could leave); `flask notify send` is started --senders times at once
   (subprocesses, as cron on several machines) and sends them to a fresh aiosmtpd server. messages/s and
   the ratio to the raw loop (goal ≥ 0.5).
3. Crash: the same again, but one of the senders is killed with SIGKILL when about half the messages have
   arrived; the other goes on, and cron's next `flask notify send` after the dead sender's lease ran out
   takes what it had claimed.

The SMTP server plays a provider that deduplicates on Message-ID (each outbox row keeps one Message-ID
across retries). The messages accepted by the server and not yet marked sent when the sender died are
offered again: `resubmitted=` counts such repeats (the at-least-once window, at most ten per sender
killed: the sender marks accepted messages sent ten at a time). `duplicates` counts messages delivered more than once, `lost` those never delivered; the poisoned
row must be the only one not delivered, with its reason recorded, in both runs.
Last line: sent=N duplicates=0 lost=0 poisoned_recorded=yes messages_per_s=R raw_per_s=R ratio=X
"""

import argparse
import collections
import os
import resource
import signal
import smtplib
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
from app.shutoffs.models import Schedule, Shutoff
from app.shutoffs.schedules import DEFAULT_SCHEDULE_NAME
from app.timeutil import today_in_vilnius, utcnow

ROOT = Path(__file__).resolve().parent.parent
LEASE_SECONDS = 4
POISONED = "poisoned@example.lt\r\nBcc: everyone@example.lt"
DOMAIN = "karstasvanduo.lt"  # of MAIL_FROM: the Message-IDs end with it


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


def start_server() -> tuple[Controller, DeduplicatingMailbox]:
    mailbox = DeduplicatingMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox


def seed(database: Path, count: int) -> int:
    """COUNT subscribers due a reminder; the one in the middle is poisoned. Returns its subscription id."""
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    tomorrow = today_in_vilnius() + timedelta(days=1)
    now = utcnow()
    poisoned_id = count // 2 + 1
    with app.app_context():
        # WAL: readers and several senders side by side; the sender then commits each mark without an fsync.
        db.session.connection().exec_driver_sql("PRAGMA journal_mode=WAL")
        db.create_all()
        db.session.execute(insert(Street), [{"code": "1", "name": "Žirmūnų", "type_word": "gatvė", "type_abbr": "g."}])
        db.session.execute(
            insert(Address), [{"code": str(100000 + i), "street_code": "1", "number": str(i + 1)} for i in range(count)]
        )
        db.session.execute(insert(Schedule), [{"id": 1, "name": DEFAULT_SCHEDULE_NAME}])
        db.session.execute(
            insert(Shutoff),
            [
                {
                    "schedule_id": 1,
                    "address_code": str(100000 + i),
                    "first_day": tomorrow,
                    "last_day": tomorrow,
                    "kind": "hydraulic_test",
                }
                for i in range(count)
            ],
        )
        db.session.execute(
            insert(Subscription),
            [
                {
                    "id": i + 1,
                    "channel": "email",
                    "contact": POISONED if i + 1 == poisoned_id else f"resident{i}@example.lt",
                    "contact_key": f"resident{i}@example.lt",
                    "language": ("lt", "en", "ru", "pl")[i % 4],
                    "lead_days_csv": "10,1",
                    "consent_text": "Sutinku",
                    "consent_version": "bench",
                    "consented_at": now,
                    "confirmed_at": now,
                    "confirm_secret": f"c{i}",
                    "unsubscribe_secret": f"u{i}",
                    "short_link_secret": f"s{i}",
                    "manage_secret": f"m{i}",
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
    return poisoned_id


def sender_env(database: Path, port: int) -> dict:
    env = dict(os.environ)
    env.update(
        APP_ENV="development",
        DATABASE_URL=f"sqlite:///{database}",
        NOTIFY_CHANNEL_EMAIL="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(port),
        SMTP_SECURITY="none",
        MAIL_FROM=f"Karštas vanduo <pranesimai@{DOMAIN}>",
        NOTIFY_LEASE_SECONDS=str(LEASE_SECONDS),
        SERVER_BASE_URL=f"https://{DOMAIN}",
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


def summary(output: str) -> str:
    """The sender's `purged=… planned=… sent=…` line."""
    return next((line for line in output.splitlines() if line.startswith("purged=")), output.strip()[-300:])


def outbox_counts(database: Path) -> dict[str, int]:
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
        db.engine.dispose()
    return {str(OutboxStatus(status)): n for status, n in rows}


def poisoned_row(database: Path, subscription_id: int) -> tuple[str, int, str]:
    """(status, attempts, last error) of the poisoned subscription's reminder."""
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    with app.app_context():
        row = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subscription_id == subscription_id)).one()
        found = (str(row.status), row.attempts, row.last_error or "")
        db.engine.dispose()
    return found


def cpu_of_children() -> float:
    """CPU seconds (user + system) of the child processes that have ended so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def raw_loop_child(port: int, count: int, size: int) -> None:
    """The child process of raw_run: COUNT messages of SIZE bytes over one smtplib connection; prints seconds."""
    lines = b"\r\n".join(b"x" * 76 for _ in range(size // 78 + 1))  # base64-like lines, as our messages carry
    body = b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + lines + b"\r\n"
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n in range(count):
            head = f"From: pranesimai@{DOMAIN}\r\nTo: resident{n}@example.lt\r\nMessage-ID: <raw-{n}@{DOMAIN}>\r\n"
            smtp.sendmail(f"pranesimai@{DOMAIN}", [f"resident{n}@example.lt"], head.encode() + body)
    print(f"{time.perf_counter() - started:.4f}")


def raw_run(count: int, size: int) -> float:
    controller, mailbox = start_server()
    server_cpu, client_cpu = time.process_time(), cpu_of_children()
    try:
        child = subprocess.run(
            [sys.executable, __file__, "--raw-child", str(controller.port), str(count), str(size)],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        controller.stop()
    if child.returncode:
        raise SystemExit(f"the raw smtplib loop failed:\n{child.stderr}")
    seconds = float(child.stdout.strip())
    server_cpu, client_cpu = time.process_time() - server_cpu, cpu_of_children() - client_cpu
    print(
        f"raw smtplib loop: {mailbox.received} messages of {size} bytes in {seconds:.2f} s, one connection; "
        f"CPU per message: client {client_cpu * 1000 / count:.2f} ms, server {server_cpu * 1000 / count:.2f} ms"
    )
    return count / seconds


def expected_ids(count: int, poisoned_id: int) -> set[str]:
    return {f"<outbox-{i}@{DOMAIN}>" for i in range(1, count + 1) if i != poisoned_id}


def timed_run(tmp: Path, count: int, senders: int) -> tuple[float, bool]:
    database = tmp / "timed.sqlite"
    poisoned_id = seed(database, count)
    controller, mailbox = start_server()
    server_cpu, senders_cpu = time.process_time(), cpu_of_children()
    try:
        started = time.perf_counter()
        processes = [start_sender(database, controller.port) for _ in range(senders)]
        outputs = [process.communicate()[0] for process in processes]
        seconds = time.perf_counter() - started
    finally:
        controller.stop()
    server_cpu, senders_cpu = time.process_time() - server_cpu, cpu_of_children() - senders_cpu
    for output in outputs:
        print(f"timed run, a sender: {summary(output)}")
    missing = expected_ids(count, poisoned_id) - set(mailbox.delivered)
    status = poisoned_row(database, poisoned_id)
    recorded = status[0] == "pending" and status[2].startswith("ValueError")
    rate = mailbox.received / seconds
    print(
        f"timed run: {senders} senders at once, received={mailbox.received} missing={len(missing)} "
        f"seconds={seconds:.2f} messages_per_s={rate:.0f} (load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs)"
    )
    print(
        f"timed run: CPU per message: senders {senders_cpu * 1000 / count:.2f} ms (with starting the app and "
        f"planning), server {server_cpu * 1000 / count:.2f} ms"
    )
    print(f"timed run: poisoned row {status}")
    return rate, recorded and not missing


def crash_run(tmp: Path, count: int, senders: int) -> tuple[int, int, int, bool]:
    database = tmp / "crash.sqlite"
    poisoned_id = seed(database, count)
    controller, mailbox = start_server()
    try:
        processes = [start_sender(database, controller.port) for _ in range(senders)]
        victim = processes[0]
        # Halfway, and off the batch boundaries, so the kill lands in the middle of a batch.
        while mailbox.received < count // 2 + 17 and victim.poll() is None:
            time.sleep(0.005)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        print(f"killed one sender (SIGKILL) after {mailbox.received} messages; outbox: {outbox_counts(database)}")
        for process in processes[1:]:
            print(f"crash run, the sender that went on: {summary(process.communicate()[0])}")
        time.sleep(LEASE_SECONDS + 0.5)  # the dead sender's lease runs out
        again = start_sender(database, controller.port)
        print(f"crash run, cron's next run: {summary(again.communicate()[0])}")
    finally:
        controller.stop()
    expected = expected_ids(count, poisoned_id)
    delivered = set(mailbox.delivered)
    duplicates = sum(1 for n in mailbox.delivered.values() if n > 1)
    resubmitted = sum(n - 1 for n in mailbox.submissions.values() if n > 1)
    status = poisoned_row(database, poisoned_id)
    print(f"outbox after the crash and cron's next run: {outbox_counts(database)}")
    print(f"crash run: poisoned row {status}")
    print(f"resubmitted={resubmitted} (offered again after the kill; the provider kept one copy by Message-ID)")
    recorded = status[0] == "pending" and status[2].startswith("ValueError")
    return len(delivered & expected), duplicates, len(expected - delivered), recorded


def main() -> None:
    if sys.argv[1:2] == ["--raw-child"]:
        raw_loop_child(*(int(value) for value in sys.argv[2:5]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=2, help="senders run at once (as cron on two machines)")
    parser.add_argument("--size", type=int, default=3200, help="bytes of each raw message (a reminder is 3.0–3.6 kB)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        # The raw loop just before and just after the timed run: the machine's load changes within minutes.
        raw_before = raw_run(args.count, args.size)
        rate, timed_ok = timed_run(tmp, args.count, args.senders)
        raw_after = raw_run(args.count, args.size)
        sent, duplicates, lost, crash_ok = crash_run(tmp, args.count, args.senders)
    raw_rate = (raw_before + raw_after) / 2
    print(f"raw smtplib loop before and after the timed run: {raw_before:.0f} and {raw_after:.0f} messages/s")
    recorded = "yes" if timed_ok and crash_ok else "no"
    print(
        f"sent={sent} duplicates={duplicates} lost={lost} poisoned_recorded={recorded} "
        f"messages_per_s={rate:.0f} raw_per_s={raw_rate:.0f} ratio={rate / raw_rate:.2f}"
    )


if __name__ == "__main__":
    main()
