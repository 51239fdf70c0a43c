"""Development channel: prints each message and keeps the last ones in memory."""

import collections
import sys
import threading

from app.notifications.channels.base import DeliveryChannel, OutgoingMessage

# The last messages "sent" in this process: development and tests read links and codes from here.
SENT: collections.deque[OutgoingMessage] = collections.deque(maxlen=200)
_lock = threading.Lock()


class ConsoleChannel(DeliveryChannel):
    def __init__(self, stream=None):
        self.stream = stream

    def send(self, message: OutgoingMessage) -> str:
        stream = self.stream or sys.stdout
        lines = ["", f"----- message {message.idempotency_key} to {message.to} -----"]
        if message.subject:
            lines.append(f"Subject: {message.subject}")
        lines += [f"{name}: {value}" for name, value in message.headers.items()]
        lines += ["", message.text, "-----", ""]
        with _lock:
            SENT.append(message)
            stream.write("\n".join(lines))
            stream.flush()
        return f"console-{message.idempotency_key}"
