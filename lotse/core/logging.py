"""Keep secrets out of logs: API tokens, passwords, signed links and bearer headers are masked in every record
(its message and arguments) before any handler formats it."""

from __future__ import annotations

import logging
import re

PATTERNS = [
    (re.compile(r"lotse_[A-Za-z0-9_-]{8,}"), "lotse_***"),
    (re.compile(r"(?i)(bearer\s+)\S+"), r"\1***"),
    (
        re.compile(
            r"(?i)((?:password|passwort|secret|token|otp_token|csrfmiddlewaretoken)[\"']?\s*[=:]\s*[\"']?)[^\s&\"',}]+"
        ),
        r"\1***",
    ),
    # signed links in paths: confirmations, "my contributions", password resets, invitations
    (re.compile(r"(/(?:confirm|mine|reset|invitations)/)(?!link/)[^\s?\"']+"), r"\1***"),
]


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        record.msg = redact(str(record.msg))
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "get_full_path"):  # Django's request logs carry the request
            record.request = redact(f"{request.method} {request.get_full_path()}")
        return True
