"""HTTP server of the emulator: routes, query options, paging, the ODataApi cell cap and
fault injection."""
from __future__ import annotations

import json
import re
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from ..geo_layout import level_of_layer, local_file
from .files import FILES, read_static
from .odata_filter import FilterError, compile_filter
from .tables import V3_DATA, Mirror, MirrorTable

API_CELL_LIMIT = 10_000
FAULT_KINDS = ("latency", "status", "reset", "truncate", "malformed")


@dataclass
class Fault:
    """Misbehave on requests whose path (with query) matches ``pattern``.

    kinds: ``latency`` (wait ``value`` seconds, then answer), ``status`` (answer HTTP ``value``),
    ``reset`` (drop the connection), ``truncate`` (send half the body), ``malformed`` (invalid
    JSON with status 200). ``times`` limits how often it fires (None: always). ``retry_after``
    is sent as the ``Retry-After`` header of a ``status`` answer (seconds or an HTTP date).
    """

    pattern: str
    kind: str
    value: float = 0
    times: int | None = None
    retry_after: str | None = None

    def __post_init__(self):
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use {', '.join(FAULT_KINDS)}")
        self._regex = re.compile(self.pattern)

    def fires(self, path: str) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if not self._regex.search(path):
            return False
        if self.times is not None:
            self.times -= 1
        return True


class ODataError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Emulator:
    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0, page_size: int = 10_000, files: Path | None = None):
        self.mirror = Mirror(Path(root))
        self.files = Path(files) if files else Path(root) / FILES  # served at /files/
        self.page_size = page_size
        self.faults: list[Fault] = []
        self.log: list[str] = []
        self.bytes_sent = 0  # response bodies, for the transfer benchmark
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def v4_url(self) -> str:
        return f"{self.url}/odata/v1"

    def env(self) -> dict[str, str]:
        """The settings that point every adapter at this emulator."""
        return {
            "OPGAVEMONITOR_CBS_V3_URL": self.url,
            "OPGAVEMONITOR_CBS_DATADERDEN_URL": self.url,
            "OPGAVEMONITOR_CBS_V4_URL": self.v4_url,
            "OPGAVEMONITOR_GEO_URL": self.url,
        }

    def start(self) -> Emulator:
        # a short poll interval: stop() waits for the loop to notice, 0.5 s by default
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- routing ---------------------------------------------------------------------------

    def answer(self, raw_path: str) -> tuple[int, dict]:
        parts = urlsplit(raw_path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        segments = [s for s in parts.path.split("/") if s]
        lowered = [s.lower() for s in segments]
        if len(segments) >= 3 and lowered[0] in ("odataapi", "odatafeed") and lowered[1] == "odata":
            return self._v3(segments[0].lower() == "odatafeed", segments[2:], query, parts.path)
        if len(segments) >= 4 and lowered[:3] == ["odata", "v1", "cbs"]:
            return self._v4(segments[3:], query, parts.path)
        if len(segments) >= 2 and lowered[0] == FILES:
            return self._static(segments[1:], parts.path)
        if len(segments) == 3 and lowered[1:] == ["wfs", "v1_0"]:
            return _wfs(self.mirror.root / "geo", segments[0], query)
        raise ODataError(404, f"no such resource: {parts.path}")

    def _table(self, version: str, table_id: str) -> MirrorTable:
        table = self.mirror.table(version, table_id)
        if table is None:
            raise ODataError(404, f"table {table_id} not found")
        return table

    def _static(self, segments: list[str], path: str) -> tuple[int, bytes]:
        body = read_static(self.files, [unquote(s) for s in segments])
        if body is None:
            raise ODataError(404, f"no such file: {path}")
        return 200, body

    def _v3(self, feed: bool, segments: list[str], query: dict, path: str) -> tuple[int, dict]:
        table = self._table("v3", segments[0])
        base = self.url + path.rsplit("/" + segments[0], 1)[0] + "/" + segments[0]
        if len(segments) == 1 or segments[1] == "":
            names = sorted(set(table.endpoints) | set(V3_DATA))
            return 200, {
                "odata.metadata": f"{base}/$metadata",
                "value": [{"name": n, "url": f"{base}/{n}"} for n in names],
            }
        endpoint = segments[1]
        if not table.has(endpoint):
            raise ODataError(404, f"Resource not found for the segment '{endpoint}'.")
        rows, _, columns = _query(table, endpoint, table.records(endpoint), query)
        if feed:
            page, next_skip = _page(rows, query, self.page_size)
            body = {"odata.metadata": f"{base}/$metadata#Cbs.OData.WebAPI.{endpoint}", "value": page}
            if next_skip is not None:
                body["odata.nextLink"] = f"{base}/{endpoint}?" + _next_query(query, next_skip)
            return 200, body
        rows, _ = _page(rows, query, page_size=len(rows) or 1)
        cells = len(rows) * max(1, columns)
        if endpoint in V3_DATA and cells > API_CELL_LIMIT:
            raise ODataError(
                400,
                f"De gevraagde dataset is te groot ({cells} cellen; maximaal {API_CELL_LIMIT}). "
                "Gebruik ODataFeed of beperk de vraag met $filter en $select.",
            )
        return 200, {"odata.metadata": f"{base}/$metadata#Cbs.OData.WebAPI.{endpoint}", "value": rows}

    def _v4(self, segments: list[str], query: dict, path: str) -> tuple[int, dict]:
        table = self._table("v4", segments[0])
        base = self.url + path.rsplit("/" + segments[0], 1)[0] + "/" + segments[0]
        if len(segments) == 1:
            return 200, {
                "@odata.context": f"{base}/$metadata",
                "value": [{"name": n, "kind": "EntitySet", "url": n} for n in table.endpoints],
            }
        endpoint = segments[1]
        if not table.has(endpoint):
            raise ODataError(404, f"Resource not found for the segment '{endpoint}'.")
        data = table.load(endpoint)
        if not (isinstance(data, dict) and isinstance(data.get("value"), list)):
            return 200, data  # a single entity such as Properties
        rows, _, _ = _query(table, endpoint, data["value"], query)
        page, next_skip = _page(rows, query, self.page_size)
        body = {"@odata.context": data.get("@odata.context", f"{base}/$metadata#{endpoint}"), "value": page}
        if next_skip is not None:
            body["@odata.nextLink"] = f"{base}/{endpoint}?" + _next_query(query, next_skip)
        return 200, body


def _wfs(folder: Path, year: str, query: dict) -> tuple[int, dict]:
    """PDOK's boundaries WFS (GetFeature as GeoJSON) from the mirror's ``geo/`` files."""
    level = level_of_layer(query.get("typeName", query.get("typename", "")))
    if level is None or not year.isdigit():
        raise ODataError(400, f"unknown layer {query.get('typeName')!r} or year {year!r}")
    path = local_file(folder, level, int(year))
    if path is None:
        raise ODataError(404, f"no {level} boundaries for {year}")
    return 200, json.loads(path.read_text(encoding="utf-8"))


def _query(table: MirrorTable, endpoint: str, rows: list[dict], query: dict) -> tuple[list[dict], int, int]:
    """Apply $filter, $top/$skip and $select; returns rows, their count and the column count."""
    columns = table.columns(endpoint)
    try:
        if query.get("$filter"):
            predicate = compile_filter(query["$filter"], columns)
            rows = [r for r in rows if predicate(r)]
    except FilterError as exc:
        raise ODataError(400, str(exc)) from exc
    selected = None
    if query.get("$select"):
        selected = [c.strip() for c in query["$select"].split(",") if c.strip()]
        unknown = [c for c in selected if c not in columns]
        if unknown:
            raise ODataError(400, f"Could not find a property named '{unknown[0]}' on type '{endpoint}'.")
    total = len(rows)
    if selected:
        rows = [{c: r.get(c) for c in selected} for r in rows]
    return rows, total, len(selected) if selected else len(columns)


def _page(rows: list[dict], query: dict, page_size: int) -> tuple[list[dict], int | None]:
    skip = _int(query.get("$skip"), 0)
    top = _int(query.get("$top"), None)
    end = len(rows) if top is None else min(len(rows), skip + top)
    page_end = min(end, skip + page_size)
    return rows[skip:page_end], (page_end if page_end < end else None)


def _next_query(query: dict, skip: int) -> str:
    following = {k: v for k, v in query.items() if k != "$skip"}
    if "$top" in following:
        following["$top"] = str(int(following["$top"]) - (skip - _int(query.get("$skip"), 0)))
    following["$skip"] = str(skip)
    return urlencode(following)


def _int(text: str | None, default):
    if text is None or text == "":
        return default
    try:
        return max(0, int(text))
    except ValueError as exc:
        raise ODataError(400, f"not a whole number: {text!r}") from exc


def _handler_for(emulator: Emulator):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as two writes; with Nagle's algorithm the body waited for the
        # client's delayed ACK (40 ms per request on Linux) on every kept-alive connection.
        disable_nagle_algorithm = True

        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:  # http.server's naming
            try:
                self._answer()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (e.g. its timeout); fine

        def _answer(self) -> None:
            emulator.log.append(self.path)
            fault = next((f for f in emulator.faults if f.fires(self.path)), None)
            if fault and fault.kind == "latency":
                time.sleep(fault.value)
                fault = None
            if fault and fault.kind == "reset":
                self._reset()
                return
            if fault and fault.kind == "status":
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                self._send(int(fault.value), {"odata.error": {"message": {"value": "injected fault"}}}, headers)
                return
            try:
                status, body = emulator.answer(self.path)
            except ODataError as exc:
                status, body = exc.status, {"odata.error": {"code": "", "message": {"lang": "nl-NL", "value": str(exc)}}}
            except Exception as exc:  # noqa: BLE001 - the emulator must answer, never hang a test
                status, body = 500, {"odata.error": {"message": {"value": f"emulator error: {exc}"}}}
            payload = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
            if fault and fault.kind == "malformed":
                payload = payload[: max(1, len(payload) // 2)] + b"<html>"
                self._write(200, payload, len(payload))
            elif fault and fault.kind == "truncate":
                self._write(status, payload[: len(payload) // 2], len(payload))
                self.close_connection = True
            else:
                self._write(status, payload, len(payload))

        def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
            payload = json.dumps(body).encode("utf-8")
            self._write(status, payload, len(payload), headers)

        def _write(self, status: int, payload: bytes, length: int, headers: dict | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(length))
            self.end_headers()
            self.wfile.write(payload)
            emulator.bytes_sent += len(payload)
            self.wfile.flush()

        def _reset(self) -> None:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.close_connection = True
            self.connection.close()

    return Handler


def start_emulator(root: Path, page_size: int = 10_000) -> Emulator:
    """Start an emulator on a free port of 127.0.0.1 in a background thread."""
    return Emulator(root, page_size=page_size).start()
