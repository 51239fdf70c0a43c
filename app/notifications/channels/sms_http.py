"""SMS through an HTTP gateway: a JSON POST with a bearer token; the reply's "id" is the provider id."""

import json
import urllib.error
import urllib.request

from app.notifications.channels.base import DeliveryChannel, OutgoingMessage, PermanentFailure, TemporaryFailure


class SMSGatewayChannel(DeliveryChannel):
    def __init__(self, url: str, token: str, sender: str, timeout: float = 10):
        if not url.startswith(("https://", "http://")):
            raise ValueError("SMS_GATEWAY_URL must be an http(s) URL")
        self.url, self.token, self.sender, self.timeout = url, token, sender, timeout

    @classmethod
    def from_config(cls, config) -> "SMSGatewayChannel":
        return cls(
            config["SMS_GATEWAY_URL"],
            config["SMS_GATEWAY_TOKEN"],
            config["SMS_SENDER"],
            float(config["SMS_TIMEOUT"]),
        )

    def send(self, message: OutgoingMessage) -> str:
        body = json.dumps(
            {"to": message.to, "from": self.sender, "text": message.text, "reference": message.idempotency_key}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 -- the URL is checked to be http(s) above
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
                # Gateways that support it send a repeated request only once.
                "Idempotency-Key": message.idempotency_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                payload = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            if exc.code in (408, 425, 429) or exc.code >= 500:
                raise TemporaryFailure(f"gateway {exc.code}: {detail}") from exc
            raise PermanentFailure(f"gateway {exc.code}: {detail}") from exc
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            raise TemporaryFailure(f"gateway unreachable: {exc!r}") from exc
        except ValueError as exc:
            raise TemporaryFailure(f"gateway reply is not JSON: {exc}") from exc
        return str(payload.get("id") or payload.get("message_id") or message.idempotency_key)[:255]
