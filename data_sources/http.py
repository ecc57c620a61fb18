"""A small JSON-over-HTTP client for the CBS APIs: a timeout on every request, bounded retries
with back-off on connection errors, timeouts, 5xx and broken bodies, and a count of bytes and
requests (reported by the refresh CLI and the benchmark)."""
from __future__ import annotations

import json
import time
from typing import Callable

import requests

from .settings import HttpSettings

RETRYABLE = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class SourceError(Exception):
    """A source could not deliver what an indicator asks for; the message says why.

    ``status`` is the HTTP status of the answer that ended the attempt (None when there was
    no answer: a timeout, a refused connection, a broken body), so callers never match text."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class JsonClient:
    def __init__(
        self,
        settings: HttpSettings | None = None,
        sleep: Callable[[float], None] = time.sleep,
        cache: dict | None = None,
    ):
        self.settings = settings or HttpSettings.from_env()
        # Metadata answers shared by the indicators of one refresh run (several indicators
        # read the same table); data requests are never cached.
        self.cache = cache
        self._sleep = sleep
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        self.session.headers["User-Agent"] = "Opgavemonitor (+https://github.com/opgavemonitor)"
        self.bytes_transferred = 0
        self.requests = 0
        self.urls: list[str] = []

    def get_json(self, url: str, params: dict | None = None, cacheable: bool = False) -> dict:
        """GET a JSON document, retrying transient failures; raises SourceError."""
        key = (url, tuple(sorted((params or {}).items())))
        if cacheable and self.cache is not None and key in self.cache:
            self.urls.append(self.cache[key][0])
            return self.cache[key][1]
        body, final_url = self._fetch(url, params)
        if cacheable and self.cache is not None:
            self.cache[key] = (final_url, body)
        return body

    def get_bytes(self, url: str) -> bytes:
        """GET a file's raw body (CSV, Excel, Parquet) with the same timeout, retries and
        byte count as JSON; a body that breaks off is retried, its content is not judged."""
        return self._fetch(url, None, decode=lambda response: response.content)[0]

    def _fetch(self, url: str, params: dict | None, decode: Callable = lambda response: response.json()) -> tuple[dict, str]:
        attempts = max(1, self.settings.retries + 1)
        last_problem, last_status = "", None
        for attempt in range(attempts):
            if attempt:
                self._sleep(self.settings.backoff * 2 ** (attempt - 1))
            try:
                response = self.session.get(url, params=params, timeout=self.settings.timeout)
                self.requests += 1
                self.bytes_transferred += len(response.content)
            except RETRYABLE as exc:
                self.requests += 1
                last_problem, last_status = _describe(exc, self.settings.timeout), None
                continue
            if attempt == 0:
                self.urls.append(response.url)
            if response.status_code >= 500:
                last_problem = f"HTTP {response.status_code} ({_odata_message(response) or response.reason})"
                last_status = response.status_code
                continue
            if response.status_code >= 400:
                raise SourceError(
                    f"HTTP {response.status_code} for {response.url}: "
                    f"{_odata_message(response) or response.reason}",
                    status=response.status_code,
                )
            try:
                return decode(response), response.url
            except (ValueError, json.JSONDecodeError):
                last_problem = f"malformed JSON from {response.url} ({len(response.content)} bytes)"
                last_status = None
                continue
        raise SourceError(f"{last_problem}; gave up after {attempts} attempts: {url}", status=last_status)


def _describe(exc: Exception, timeout: float) -> str:
    if isinstance(exc, requests.Timeout):
        return f"no answer within {timeout:g} s (timeout)"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "connection broke off mid-response"
    return f"connection failed ({type(exc).__name__})"


def _odata_message(response: requests.Response) -> str:
    """The message inside an OData error body (v3 ``odata.error`` or v4 ``error``)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    error = body.get("odata.error") or body.get("error") or {}
    message = error.get("message", "")
    if isinstance(message, dict):
        message = message.get("value", "")
    return str(message)
