"""SMS through an HTTPS gateway."""

import httpx

from helseportal.notify.channels.base import PermanentFailure, TemporaryFailure
from helseportal.notify.texts import Text


class HttpSmsSender:
    """A generic HTTPS SMS gateway: POST {"to": "+47…", "text": "…"} as JSON with a bearer token.

    Any 2xx is success. 5xx, 429 and network errors are temporary; other statuses are permanent.
    """

    def __init__(self, url: str, token: str, *, client: httpx.Client | None = None, timeout: float = 10.0) -> None:
        self.url = url
        self.token = token
        self.client = client
        self.timeout = timeout

    def send(self, to: str, text: Text) -> None:
        if not self.url:
            raise PermanentFailure("sms gateway not configured")
        payload = {"to": f"+47{to}", "text": text.body}
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            if self.client is not None:
                response = self.client.post(self.url, json=payload, headers=headers, timeout=self.timeout)
            else:
                response = httpx.post(self.url, json=payload, headers=headers, timeout=self.timeout)
        except httpx.TimeoutException:
            raise TemporaryFailure("sms gateway timeout") from None
        except httpx.HTTPError as error:
            raise TemporaryFailure(f"sms gateway {type(error).__name__}") from None
        if response.is_success:
            return
        if response.status_code >= 500 or response.status_code == 429:
            raise TemporaryFailure(f"sms gateway HTTP {response.status_code}")
        raise PermanentFailure(f"sms gateway HTTP {response.status_code}")
