"""Date-times as Novu writes them: ISO 8601 / RFC 3339 text read into aware ``datetime`` values, and
``datetime`` values written the way JavaScript's ``toISOString`` does. The converter (``_serde``)
and the parameter encoding (``_encode``) use these two functions, and nothing else does its own."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Final

__all__ = ["format_datetime", "parse_datetime"]

_ISO_DATETIME: Final = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d\d(?::?\d\d)?)?"
)
# the form Novu's server writes (``toISOString``): read by ``fromisoformat`` at a fraction of the cost
_COMMON: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{3})?Z")
_UTC: Final = _dt.timezone.utc


def parse_datetime(text: str) -> _dt.datetime:
    """ISO 8601 / RFC 3339 text to an aware datetime; no offset means UTC. ``ValueError`` when the
    text is not one (its message says what was expected)."""
    if _COMMON.fullmatch(text):
        try:
            return _dt.datetime.fromisoformat(text[:-1]).replace(tzinfo=_UTC)
        except ValueError:  # a day or an hour out of range: said below
            pass
    match = _ISO_DATETIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected an ISO 8601 date-time, got {text!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    if offset is None or offset in "Zz":
        tz: _dt.tzinfo = _UTC
    else:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        delta = _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        tz = _dt.timezone(sign * delta)
    try:
        return _dt.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro, tz
        )
    except ValueError as exc:
        raise ValueError(f"expected an ISO 8601 date-time, got {text!r} ({exc})") from None


def format_datetime(value: _dt.datetime) -> str:
    """The form JavaScript's ``toISOString`` writes for UTC (``2024-05-01T12:00:00.000Z``)."""
    if value.utcoffset() == _dt.timedelta(0):
        digits = 3 if value.microsecond % 1000 == 0 else 6
        fraction = f"{value.microsecond:06d}"[:digits]
        return value.strftime("%Y-%m-%dT%H:%M:%S") + f".{fraction}Z"
    return value.isoformat(timespec="milliseconds" if value.microsecond % 1000 == 0 else "microseconds")
