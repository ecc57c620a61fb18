"""A small JSON-over-HTTP client for the CBS APIs: a total deadline on every request, bounded
retries with back-off on connection errors, timeouts, 5xx and broken bodies, ``Retry-After``
honoured on 429 and 503, and a count of bytes and requests (reported by the refresh CLI and the
benchmark).

CBS outages cost seconds, not an hour: a ``HostHealth`` shared by every client of one refresh
run counts consecutive failures per host: no answer (refused connection, timeout), no complete
answer within the ``deadline`` (a server that drips its body), and "busy" answers (429, 503).
At ``host_failures`` in a row the host is given up for the rest of the run and every later
request to it fails at once with ``HostUnreachable`` ("CBS niet bereikbaar" or "CBS is druk").
A run also waits at most ``busy_budget`` seconds in all on one host (Retry-After and back-off);
a wait beyond that gives the host up as busy instead. Until a host has answered once in the
run, a request waits at most ``first_timeout`` for it (a black-holed host is found out quickly);
after that the full ``timeout`` applies (a slow answer from a live CBS is still waited for).
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from .failures import OTHER, SERVER, UNREACHABLE, UNREADABLE, status_kind
from .settings import HttpSettings, cbs_base_urls

RETRYABLE = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class SourceError(Exception):
    """A source could not deliver what an indicator asks for; the message says why.

    ``status`` is the HTTP status of the answer that ended the attempt (None when there was
    no answer: a timeout, a refused connection, a broken body) and ``kind`` one of
    ``failures.KINDS`` (from the status unless the raiser says), so callers never match text."""

    def __init__(self, message: str, status: int | None = None, kind: str | None = None):
        super().__init__(message)
        self.status = status
        self.kind = kind or (status_kind(status) if status else OTHER)

    def restated(self, message: str) -> SourceError:
        """The same failure (kind and status) in other words, e.g. naming the catalogue entry."""
        return SourceError(message, self.status, self.kind)


def host_is_cbs(host: str) -> bool:
    """Whether ``host`` (host:port as in the messages) is one of the configured CBS APIs."""
    return host in {urlsplit(url).netloc for url in cbs_base_urls()}


class HostUnreachable(SourceError):
    """A host failed too often in a row in this run, or asked for more waiting than the run's
    budget (``busy``); it is not tried again."""

    def __init__(self, host: str, reason: str, busy: bool = False, status: int | None = None):
        self.host, self.busy = host, busy
        self.headline = f"{'CBS' if host_is_cbs(host) else 'Bron'} {'is druk' if busy else 'niet bereikbaar'} ({host})"
        super().__init__(f"{self.headline}: {reason}", status=status, kind=SERVER if busy else UNREACHABLE)


class DeadlineExceeded(requests.Timeout):
    """The answer was not complete within the request's total deadline."""


MAX_RETRY_AFTER = 120.0  # seconds: a longer Retry-After is capped to this
BUSY = (429, 503)  # "too many requests", "unavailable": count toward giving a host up
CHUNK = 64 * 1024


@dataclass
class HostHealth:
    """Failure and waiting state per host, shared by the clients of one refresh run."""

    limit: int
    budget: float = MAX_RETRY_AFTER  # seconds of waiting allowed per host
    failures: dict[str, int] = field(default_factory=dict)  # consecutive, without a good answer
    answered: set[str] = field(default_factory=set)  # sent any HTTP answer in this run
    waited: dict[str, float] = field(default_factory=dict)
    down: dict[str, tuple[str, bool, int | None]] = field(default_factory=dict)  # host -> (problem, busy, status)

    def check(self, host: str) -> None:
        if host in self.down:
            problem, busy, status = self.down[host]
            raise HostUnreachable(host, problem, busy, status)

    def answer(self, host: str) -> None:
        self.failures[host] = 0
        self.answered.add(host)

    def failure(self, host: str, problem: str, status: int | None = None) -> None:
        """A failure without a good answer; a 429 or 503 (``status``) is a busy one."""
        if status is not None:
            self.answered.add(host)
        self.failures[host] = self.failures.get(host, 0) + 1
        if self.failures[host] >= self.limit:
            self.down[host] = (problem, status in BUSY, status)

    def wait(self, host: str, seconds: float, problem: str, status: int | None) -> None:
        """Book ``seconds`` of waiting on ``host``; over the budget the host is given up."""
        waited = self.waited.get(host, 0.0)
        if waited + seconds > self.budget:
            self.down[host] = (f"{problem}; would wait {waited + seconds:g} s in all (budget {self.budget:g} s)", True, status)
            self.check(host)
        self.waited[host] = waited + seconds


class JsonClient:
    def __init__(
        self,
        settings: HttpSettings | None = None,
        sleep: Callable[[float], None] = time.sleep,
        cache: dict | None = None,
        hosts: HostHealth | None = None,
    ):
        self.settings = settings or HttpSettings.from_env()
        self.hosts = hosts or HostHealth(self.settings.host_failures, self.settings.busy_budget)
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
        host = urlsplit(url).netloc
        last_problem, last_status, last_kind, wait = "", None, UNREACHABLE, 0.0
        for attempt in range(attempts):
            self.hosts.check(host)
            if attempt:
                pause = wait or self.settings.backoff * 2 ** (attempt - 1)
                self.hosts.wait(host, pause, last_problem, last_status)
                self._sleep(pause)
            timeout = self.settings.timeout if host in self.hosts.answered else min(self.settings.timeout, self.settings.first_timeout)
            try:
                response = self._get(url, params, timeout)
                self.requests += 1
                self.bytes_transferred += len(response.content)
            except RETRYABLE as exc:
                self.requests += 1
                last_problem, last_status, last_kind, wait = _describe(exc, timeout), None, UNREACHABLE, 0.0
                if not isinstance(exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
                    self.hosts.failure(host, last_problem)  # no (complete) answer at all
                continue
            if attempt == 0:
                self.urls.append(response.url)
            if response.status_code in BUSY:
                last_problem = f"HTTP {response.status_code} ({_odata_message(response) or response.reason})"
                last_status, last_kind, wait = response.status_code, SERVER, retry_after(response)
                self.hosts.failure(host, last_problem, last_status)
                continue
            self.hosts.answer(host)
            if response.status_code >= 500:
                last_problem = f"HTTP {response.status_code} ({_odata_message(response) or response.reason})"
                last_status, last_kind, wait = response.status_code, SERVER, 0.0
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
                last_status, last_kind, wait = None, UNREADABLE, 0.0
                continue
        self.hosts.check(host)
        raise SourceError(f"{last_problem}; gave up after {attempts} attempts: {url}", last_status, last_kind)

    def _get(self, url: str, params: dict | None, timeout: float) -> requests.Response:
        """GET with the body read in pieces against the total deadline: a server that sends
        its headers and then a byte now and then is cut off at the deadline, not waited for."""
        deadline = time.monotonic() + self.settings.deadline
        response = self.session.get(url, params=params, timeout=min(timeout, self.settings.deadline), stream=True)
        try:
            response._content = _read_body(response, deadline, timeout, self.settings.deadline)
            response._content_consumed = True
        finally:
            response.close()
        return response


def _read_body(response: requests.Response, deadline: float, timeout: float, total: float) -> bytes:
    """The whole (decoded) body, or DeadlineExceeded; each read waits at most what is left."""
    sock = getattr(response.raw.connection, "sock", None)
    body = bytearray()
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded(f"no complete answer within {total:g} s")
        if sock is not None:
            sock.settimeout(min(timeout, left))
        try:
            chunk = response.raw.read1(CHUNK, decode_content=True)
        except (TimeoutError, urllib3.exceptions.ReadTimeoutError) as exc:
            if time.monotonic() >= deadline:
                raise DeadlineExceeded(f"no complete answer within {total:g} s") from exc
            raise requests.ReadTimeout(str(exc)) from exc
        except urllib3.exceptions.DecodeError as exc:
            raise requests.exceptions.ContentDecodingError(str(exc)) from exc
        except (urllib3.exceptions.ProtocolError, OSError) as exc:
            raise requests.exceptions.ChunkedEncodingError(str(exc)) from exc
        if not chunk:
            return bytes(body)
        body += chunk


def probe(urls: list[str], connect: float = 3.0, answer: float = 10.0) -> dict[str, str | None]:
    """Whether each URL's host answers at all (any HTTP status), all at once: host -> None, or
    why not. A machine without network learns it at once or within ``connect`` seconds; a slow
    but live CBS gets ``answer`` seconds, a black-holed one is given up after that."""
    hosts = {urlsplit(url).netloc: url for url in urls}
    timeout = connect + answer  # in all, name lookup included
    results: dict[str, str | None] = {host: f"no answer within {timeout:g} s (timeout)" for host in hosts}

    def ask(host: str, url: str) -> None:
        try:
            requests.get(url, timeout=(connect, answer), stream=True).close()
            results[host] = None
        except requests.RequestException as exc:
            results[host] = _describe(exc, answer if isinstance(exc, requests.ReadTimeout) else connect)

    # daemon threads: a name lookup that hangs does not keep the process
    threads = [threading.Thread(target=ask, args=item, daemon=True) for item in hosts.items()]
    for thread in threads:
        thread.start()
    ends = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, ends - time.monotonic()))
    return dict(results)


def retry_after(response: requests.Response, now: datetime | None = None) -> float:
    """Seconds the ``Retry-After`` header asks to wait (delay or HTTP date), capped at
    MAX_RETRY_AFTER; 0 when absent or unreadable (then the usual back-off applies)."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return 0.0
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return 0.0
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _describe(exc: Exception, timeout: float) -> str:
    if isinstance(exc, DeadlineExceeded):
        return f"{exc} (total timeout)"
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
