"""Open311 GeoReport v2 for other city systems (a hotline, a city dashboard), under ``/open311/v2``:
discovery, the service list and definitions, filing a request with an API key, the request list
and detail with the standard filters, a request's id from its token, and FixMyStreet's
``servicerequestupdates``. Every answer in JSON or XML by the path's extension; every refusal in
GeoReport's error format, never a 5xx.

A request names our unit by ``address_id`` (the id of a group, village or ward, as the directory
lists them): GeoReport's location is a point or an address, and the case's unit is what routes it.
The caller's name, e-mail and phone are not stored: the case is the system's, answered through it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID, uuid4

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tothon_feedback.application import FeedbackApplication
from tothon_feedback.domain.errors import FeedbackError
from tothon_feedback.domain.formal_procedures import reads_like_formal_procedure
from tothon_feedback.domain.submission import Channel, Submission
from tothon_feedback.open311 import georeport, xml
from tothon_feedback.places import parent_lookup, unit_level
from tothon_feedback.readmodels import queries
from tothon_feedback.readmodels.tables import DIRECTORY
from tothon_shared.eventstore.context import acting_as
from tothon_shared.readstore.store import ReadStore

BASE = "/open311/v2"
router = APIRouter(prefix=BASE, tags=["open311"])
CHANGESET = "2026-12-05T00:00:00Z"
# The default window of the request list (GeoReport's 90 days) and its largest page.
WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000
_FORMATS = {"json": "application/json", "xml": "text/xml; charset=utf-8"}


class GeoReportError(BaseModel):
    """One error of GeoReport's error list."""

    code: int
    description: str


# Every Open311 route answers refusals as GeoReport's error list (in the format asked for).
_REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": list[GeoReportError], "description": meaning}
    for status, meaning in (
        (400, "A request GeoReport's rules or ours refuse"),
        (403, "No valid api_key"),
        (404, "No such service, request, token or format"),
    )
}


class Open311Error(Exception):
    """A refusal, answered as GeoReport's list of errors with this HTTP status."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _format(fmt: str) -> str:
    if fmt not in _FORMATS:
        raise Open311Error(404, f"Unknown format '{fmt[:20]}': use .json or .xml")
    return fmt


def _answer(fmt: str, data: Any, root: str, item: str) -> Response:
    if fmt == "xml":
        content = xml.document(root, item, data) if isinstance(data, list) else xml.single(root, data)
        return Response(content, media_type=_FORMATS["xml"])
    return JSONResponse(data)


def _refusal(fmt: str, error: Open311Error) -> Response:
    errors = [{"code": error.status, "description": error.description}]
    if fmt == "xml":
        return Response(
            xml.document("errors", "error", errors), status_code=error.status, media_type=_FORMATS["xml"]
        )
    return JSONResponse(errors, status_code=error.status)


async def _served(fmt: str, answer: Callable[[str], Any]) -> Response:
    """The answer in the asked format, or GeoReport's errors."""
    shown = fmt if fmt in _FORMATS else "json"
    try:
        result: Response = await answer(_format(fmt))
    except Open311Error as error:
        return _refusal(shown, error)
    except FeedbackError as error:  # a rule of the domain, said in GeoReport's terms
        return _refusal(shown, Open311Error(400, f"Refused: {error.code or type(error).__name__}"))
    return result


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + str(request.scope.get("root_path", ""))


@router.get("/discovery.{fmt}", responses=_REFUSALS)
async def discovery(fmt: str, request: Request) -> Response:
    """Where the endpoint is and what it speaks."""

    async def answer(fmt: str) -> Response:
        data = {
            "changeset": CHANGESET,
            "contact": "Tothon — phản ánh, kiến nghị (address_id is the id of a group, village or ward)",
            "key_service": "API keys are issued by the city's IT administrator (Tothon: Open311 keys).",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": f"{_base(request)}{BASE}",
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        }
        return _answer(fmt, data, "discovery", "endpoint")

    return await _served(fmt, answer)


def _app(request: Request) -> FeedbackApplication:
    app: FeedbackApplication = request.app.state.runtime.app
    return app


@router.get("/services.{fmt}", responses=_REFUSALS)
async def services(fmt: str, request: Request) -> Response:
    """The request types: our categories in use."""

    async def answer(fmt: str) -> Response:
        catalogue = await run_in_threadpool(_app(request).catalogue)
        data = [georeport.service(c) for c in catalogue.active_categories()]
        return _answer(fmt, data, "services", "service")

    return await _served(fmt, answer)


@router.get("/services/{code}.{fmt}", responses=_REFUSALS)
async def service_definition(code: str, fmt: str, request: Request) -> Response:
    """A request type's definition (no attributes beyond the standard fields)."""

    async def answer(fmt: str) -> Response:
        catalogue = await run_in_threadpool(_app(request).catalogue)
        offered = {c.code: c for c in catalogue.active_categories()}
        if code not in offered:
            raise Open311Error(404, f"Unknown service_code '{code[:60]}'")
        return _answer(fmt, georeport.definition(offered[code]), "service_definition", "attribute")

    return await _served(fmt, answer)


def _field(form: Mapping[str, list[str]], name: str) -> str | None:
    values = form.get(name)
    return values[0].strip() if values and values[0].strip() else None


def _number(form: Mapping[str, list[str]], name: str, low: float, high: float) -> float | None:
    value = _field(form, name)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        raise Open311Error(400, f"{name} is not a number") from None
    if not low <= number <= high:
        raise Open311Error(400, f"{name} is out of range")
    return number


def _key(app: FeedbackApplication, secret: str | None) -> UUID:
    key = app.open311_key(secret) if secret else None
    if key is None:
        raise Open311Error(403, "A valid api_key is required")
    return key.id


def _file(app: FeedbackApplication, store: ReadStore, form: Mapping[str, list[str]]) -> dict[str, Any]:
    key_id = _key(app, _field(form, "api_key"))
    code, description = _field(form, "service_code"), _field(form, "description")
    if code is None:
        raise Open311Error(400, "service_code is required")
    if description is None:
        raise Open311Error(400, "description is required")
    if len(description) > 4000:
        raise Open311Error(400, "description is longer than 4000 characters")
    category = {c.code: c for c in app.catalogue().categories.values()}.get(code)
    if category is None or code in app.catalogue().retired:
        raise Open311Error(404, f"Unknown service_code '{code[:60]}'")
    if category.formal_procedure:
        raise Open311Error(400, georeport.FORMAL)
    address_id = _field(form, "address_id")
    try:
        unit_id = UUID(address_id or "")
    except ValueError:
        raise Open311Error(400, "address_id must be the id of a group, village or ward") from None
    level = unit_level(store, unit_id)
    if level is None:
        raise Open311Error(400, "address_id is not a unit that handles requests")
    lat, long = _number(form, "lat", -90, 90), _number(form, "long", -180, 180)
    if (lat is None) != (long is None):
        raise Open311Error(400, "lat and long come together")
    text = description + (f"\n\n{url}" if (url := _field(form, "media_url")) else "")
    caller = _field(form, "account_id") or _field(form, "device_id") or "-"
    submission = Submission(
        resident=f"open311:{key_id}:{caller[:40]}",
        actor=f"open311:{key_id}",
        channel=Channel.SYSTEM,
        text=text,
        unit_id=unit_id,
        level=level,
        address=(_field(form, "address_string") or "")[:300],
        position=(lat, long) if lat is not None and long is not None else None,
    )
    with acting_as(f"open311:{key_id}"):
        case = app.submit(uuid4(), submission, code, datetime.now(UTC), parent_lookup(store))
    warning = reads_like_formal_procedure(description)
    notice = f"{warning.procedure.value}: {warning.law}" if warning is not None else None
    return {
        "service_request_id": str(case.id),
        "token": str(case.id),
        "service_notice": notice,
        "account_id": None,
    }


@router.post("/requests.{fmt}", responses=_REFUSALS)
async def create_request(fmt: str, request: Request) -> Response:
    """File a request (form-encoded, with ``api_key``): a case at the unit ``address_id`` names."""

    async def answer(fmt: str) -> Response:
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            raise Open311Error(400, "Send the request form-encoded (application/x-www-form-urlencoded)")
        try:
            form = parse_qs((await request.body()).decode(), keep_blank_values=True, max_num_fields=50)
        except (UnicodeDecodeError, ValueError):
            raise Open311Error(400, "The form cannot be read") from None
        runtime = request.app.state.runtime
        created = await run_in_threadpool(_file, runtime.app, runtime.store, form)
        return _answer(fmt, [created], "service_requests", "request")

    return await _served(fmt, answer)


def _trusted(app: FeedbackApplication, request: Request) -> bool:
    secret = request.query_params.get("api_key")
    return bool(secret) and app.open311_key(secret or "") is not None


def _when(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} is not a w3 date-time") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _listed(names: str | None) -> list[str]:
    return [n.strip() for n in (names or "").split(",") if n.strip()]


def _requests(app: FeedbackApplication, store: ReadStore, request: Request) -> list[dict[str, Any]]:
    params = request.query_params
    ids = _listed(params.get("service_request_id"))
    try:
        case_ids = [UUID(i) for i in ids]
    except ValueError:
        raise Open311Error(400, "service_request_id must be request ids") from None
    statuses = _listed(params.get("status"))
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, "status is open or closed")
    end = _when(params.get("end_date"), "end_date") or datetime.now(UTC)
    start = _when(params.get("start_date"), "start_date") or end - WINDOW
    wanted = queries.Open311Filter(
        case_ids=case_ids, codes=_listed(params.get("service_code")), start=start, end=end, statuses=statuses
    )
    return _rows_as_requests(app, store, request, queries.open311_requests(store, wanted, MAX_REQUESTS))


def _rows_as_requests(
    app: FeedbackApplication, store: ReadStore, request: Request, rows: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    names = {c.code: c.name_vi for c in app.catalogue().categories.values()}
    units = {u["unit_id"]: u["name"] for u in DIRECTORY.list_units(store)}
    trusted = _trusted(app, request)
    return [georeport.request(row, names, units, _base(request), trusted) for row in rows]


@router.get("/requests.{fmt}", responses=_REFUSALS)
async def list_requests(fmt: str, request: Request) -> Response:
    """Requests by id, type, date (the last 90 days by default) and status, at most 1000."""

    async def answer(fmt: str) -> Response:
        runtime = request.app.state.runtime
        data = await run_in_threadpool(_requests, runtime.app, runtime.store, request)
        return _answer(fmt, data, "service_requests", "request")

    return await _served(fmt, answer)


def _one(
    app: FeedbackApplication, store: ReadStore, request: Request, request_id: str
) -> list[dict[str, Any]]:
    try:
        case_id = UUID(request_id)
    except ValueError:
        raise Open311Error(404, "No such request") from None
    row = queries.case_of(store, case_id)
    if row is None:
        raise Open311Error(404, "No such request")
    return _rows_as_requests(app, store, request, [row])


@router.get("/requests/{request_id}.{fmt}", responses=_REFUSALS)
async def get_request(request_id: str, fmt: str, request: Request) -> Response:
    """One request (a list of one, as GeoReport has it)."""

    async def answer(fmt: str) -> Response:
        runtime = request.app.state.runtime
        data = await run_in_threadpool(_one, runtime.app, runtime.store, request, request_id)
        return _answer(fmt, data, "service_requests", "request")

    return await _served(fmt, answer)


@router.get("/tokens/{token}.{fmt}", responses=_REFUSALS)
async def get_token(token: str, fmt: str, request: Request) -> Response:
    """A request's id from the token its filing returned (here the id itself: a case has its id
    as soon as it is filed)."""

    async def answer(fmt: str) -> Response:
        store = request.app.state.runtime.store
        try:
            found = await run_in_threadpool(queries.case_of, store, UUID(token))
        except ValueError:
            found = None
        if found is None:
            raise Open311Error(404, "No request for this token (yet)")
        return _answer(fmt, [{"service_request_id": token, "token": token}], "service_requests", "request")

    return await _served(fmt, answer)


def _updates(app: FeedbackApplication, store: ReadStore, request: Request) -> dict[str, Any]:
    params = request.query_params
    end = _when(params.get("end_date"), "end_date") or datetime.now(UTC)
    start = _when(params.get("start_date"), "start_date") or end - timedelta(days=1)
    if end - start > WINDOW:
        raise Open311Error(400, "start_date and end_date span at most 90 days")
    trusted = _trusted(app, request)
    steps = queries.public_steps(store, start, end, MAX_REQUESTS)
    return {"service_request_updates": [georeport.update(s, _base(request), trusted) for s in steps]}


@router.get("/servicerequestupdates.{fmt}", responses=_REFUSALS)
async def service_request_updates(fmt: str, request: Request) -> Response:
    """FixMyStreet's extension: the public updates of requests between ``start_date`` and
    ``end_date`` (the last day by default), oldest first."""

    async def answer(fmt: str) -> Response:
        runtime = request.app.state.runtime
        data = await run_in_threadpool(_updates, runtime.app, runtime.store, request)
        if fmt == "xml":
            content = xml.document(
                "service_request_updates", "request_update", data["service_request_updates"]
            )
            return Response(content, media_type=_FORMATS["xml"])
        return JSONResponse(data)

    return await _served(fmt, answer)
