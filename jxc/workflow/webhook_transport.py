"""One HTTP POST of a webhook body, with the standard library (no HTTP client is installed).

Redirects are not followed: a webhook that moved must be updated by its owner, and following
one would re-send a signed body to wherever the redirect points.
"""

import dataclasses
import urllib.error
import urllib.request

RESPONSE_KEPT = 2048  # bytes of the response body kept in the delivery log


@dataclasses.dataclass(frozen=True)
class Outcome:
    status: int | None  # the HTTP status, None when no response came
    body: str = ""
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def worth_retrying(self) -> bool:
        """Network errors, timeouts, 5xx and 429 may pass; other 4xx and 3xx will not."""
        return self.status is None or self.status >= 500 or self.status in (408, 429)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict, timeout: float) -> Outcome:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=timeout) as response:
            return Outcome(response.status, _text(response.read(RESPONSE_KEPT)))
    except urllib.error.HTTPError as exc:
        with exc:
            return Outcome(exc.code, _text(exc.read(RESPONSE_KEPT)), error=str(exc.reason)[:500])
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Outcome(None, error=str(reason)[:500] or type(exc).__name__)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")
