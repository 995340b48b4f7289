"""The city's feedback configuration, edited by a city administrator: categories with their
competent level and deadlines per level, retirement, the city's own days off, office hours. Every
edit is an event with who made it and why."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from tothon_feedback.api.access import resident_of
from tothon_feedback.api.schemas import Reason, ReasonIn
from tothon_feedback.application import FeedbackApplication
from tothon_feedback.domain.calendar import OfficeHours
from tothon_feedback.domain.catalogue import CategoryCatalogue
from tothon_feedback.domain.categories import Category, Deadline
from tothon_feedback.domain.errors import CatalogueError
from tothon_feedback.domain.levels import Level
from tothon_feedback.permissions import FeedbackPermission
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems

EDIT = FeedbackPermission.CATALOGUE_EDIT
# Module level: route signatures are resolved from the module's globals.
Editor = Annotated[Principal, Depends(require(EDIT))]
LevelName = Literal["group", "ward", "city"]

router = APIRouter(prefix="/api/v1/feedback/catalogue", tags=["feedback catalogue"])


class DeadlineIO(BaseModel):
    """One level's deadline: accept within working hours, resolve within working days."""

    model_config = ConfigDict(extra="forbid")

    accept_hours: int = Field(ge=1, le=240)
    resolve_days: int = Field(ge=1, le=90)


class CategoryIn(BaseModel):
    """A category as an administrator writes it (its code is in the path)."""

    model_config = ConfigDict(extra="forbid")

    name_vi: Annotated[str, Field(min_length=1, max_length=120)]
    name_en: Annotated[str, Field(min_length=1, max_length=120)]
    level: LevelName
    formal_procedure: bool = False
    deadlines: dict[LevelName, DeadlineIO] = {}
    reason: Reason


class CategoryOut(BaseModel):
    """A category with its deadlines, and whether it is still offered."""

    code: str
    name_vi: str
    name_en: str
    level: LevelName
    formal_procedure: bool
    deadlines: dict[LevelName, DeadlineIO]
    retired: bool


class CatalogueOut(BaseModel):
    """The whole configuration."""

    categories: list[CategoryOut]
    office_hours: list[list[str]]
    days_off: list[date]


class DayOffIn(BaseModel):
    """A day off the city gives, with the reason (which occasion)."""

    model_config = ConfigDict(extra="forbid")

    day: date
    reason: Reason


class OfficeHoursIn(BaseModel):
    """The periods of a working day, earliest first."""

    model_config = ConfigDict(extra="forbid")

    periods: Annotated[list[tuple[time, time]], Field(min_length=1, max_length=4)]
    reason: Reason


def _out(catalogue: CategoryCatalogue) -> CatalogueOut:
    return CatalogueOut(
        categories=[
            CategoryOut(
                code=c.code,
                name_vi=c.name_vi,
                name_en=c.name_en,
                level=c.level.value,
                formal_procedure=c.formal_procedure,
                deadlines={
                    level.value: DeadlineIO(accept_hours=d.accept_hours, resolve_days=d.resolve_days)
                    for level, d in c.deadlines.items()
                },
                retired=c.code in catalogue.retired,
            )
            for c in catalogue.categories.values()
        ],
        office_hours=catalogue.office_hours.as_record(),
        days_off=sorted(catalogue.days_off),
    )


def _category(code: str, body: CategoryIn) -> Category:
    return Category(
        code=code,
        name_vi=body.name_vi,
        name_en=body.name_en,
        level=Level(body.level),
        formal_procedure=body.formal_procedure,
        deadlines={Level(k): Deadline(v.accept_hours, v.resolve_days) for k, v in body.deadlines.items()},
    )


def _put_category(app: FeedbackApplication, code: str, body: CategoryIn, actor: str) -> CategoryCatalogue:
    category = _category(code, body)
    try:
        app.catalogue().category(code)
    except CatalogueError:
        app.add_category(category, actor, body.reason)
    else:
        app.change_category(category, actor, body.reason)
    return app.catalogue()


async def _answer(request: Request) -> CatalogueOut:
    return _out(await run_in_threadpool(request.app.state.runtime.app.catalogue))


@router.get("", responses=problems(403))
async def get_catalogue(request: Request, _editor: Editor) -> CatalogueOut:
    """Every category (retired ones marked), the office hours and the city's days off."""
    return await _answer(request)


@router.put("/categories/{code}", responses=problems(403, 422))
async def put_category(
    code: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{1,59}$")],
    body: CategoryIn,
    request: Request,
    editor: Editor,
) -> CatalogueOut:
    """Add a category, or change one (cases filed keep the deadlines they got)."""
    app = request.app.state.runtime.app
    return _out(await run_command(request, _put_category, app, code, body, resident_of(editor)))


@router.post("/categories/{code}/retire", responses=problems(403, 422))
async def retire_category(code: str, body: ReasonIn, request: Request, editor: Editor) -> CatalogueOut:
    """No new cases under a category; its cases go on."""
    app = request.app.state.runtime.app
    await run_command(request, app.retire_category, code, resident_of(editor), body.reason)
    return await _answer(request)


@router.post("/days-off", responses=problems(403, 409, 422))
async def add_day_off(body: DayOffIn, request: Request, editor: Editor) -> CatalogueOut:
    """A day off the city gives beyond the national holidays: deadlines skip it from now on."""
    app = request.app.state.runtime.app
    await run_command(request, app.add_day_off, body.day, resident_of(editor), body.reason)
    return await _answer(request)


@router.post("/days-off/{day}/remove", responses=problems(403, 422))
async def remove_day_off(day: date, body: ReasonIn, request: Request, editor: Editor) -> CatalogueOut:
    """Take back a day off the city gave."""
    app = request.app.state.runtime.app
    await run_command(request, app.remove_day_off, day, resident_of(editor), body.reason)
    return await _answer(request)


@router.put("/office-hours", responses=problems(403, 422))
async def put_office_hours(body: OfficeHoursIn, request: Request, editor: Editor) -> CatalogueOut:
    """The hours in which working time counts (Vietnam's time)."""
    app = request.app.state.runtime.app
    hours = OfficeHours(periods=tuple(body.periods))
    await run_command(request, app.change_office_hours, hours, resident_of(editor), body.reason)
    return await _answer(request)
