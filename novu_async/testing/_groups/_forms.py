"""multipart/form-data request bodies, read with the standard library's ``email`` parser.

The fake is not given a request's Content-Type (the ways in pass method, target, key and body), so
the boundary is read off the body itself: a form body starts with ``--<boundary>`` (RFC 7578; httpx,
requests and browsers send no preamble).
"""

from __future__ import annotations

import email.parser
import email.policy

import attrs

from .._wire import ApiError

__all__ = ["Part", "form_parts"]

_PARSER = email.parser.BytesParser(policy=email.policy.HTTP)


@attrs.frozen
class Part:
    name: str  # the form field
    filename: str | None  # a file's name, None for a plain field
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


def form_parts(raw: bytes) -> list[Part]:
    """The parts of a form body in order; a body that is no form is a 400."""
    first, newline, _ = raw.partition(b"\r\n")
    boundary = first[2:].strip()
    if not raw.startswith(b"--") or not newline or not boundary or b'"' in boundary:
        raise ApiError(400, "The request body must be multipart/form-data")
    head = b'Content-Type: multipart/form-data; boundary="' + boundary + b'"\r\n\r\n'
    message = _PARSER.parsebytes(head + raw)
    if not message.is_multipart():
        raise ApiError(400, "The request body must be multipart/form-data")
    parts = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        parts.append(
            Part(
                name if isinstance(name, str) else "",
                part.get_filename(),
                payload if isinstance(payload, bytes) else b"",
            )
        )
    return parts
