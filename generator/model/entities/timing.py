"""Deadlines and response-time limits: when something is due, and how soon it must be answered."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, GetJsonSchemaHandler
from pydantic_core import CoreSchema

from ..choices import Choice
from .base import Clock, Strict, Text, TimeUnit, Weekday


class Deadline(Strict):
    """When something is due: 每日 19:00 前, 每周五 18:00 前, 每月 25 日前, 会议前 3 天."""

    what: str | None = None
    every: Annotated[Literal["日", "工作日", "周", "月", "季", "年"], Choice("frequency")] | None = None
    weekday: Weekday | None = None
    day: int | None = Field(default=None, ge=1, le=31)
    time: Clock | None = None
    before: int | None = Field(default=None, ge=1)
    before_max: int | None = Field(default=None, ge=1)
    before_unit: TimeUnit = "天"
    event: str | None = None
    #: How long what is due stays valid (a licence valid 5 years, renewed ``before`` its expiry):
    #: then the deadline recurs once per validity period.
    valid_for: int | None = Field(default=None, ge=1, le=99)
    valid_unit: Annotated[Literal["月", "年"], Choice("valid_unit")] = "年"


class ResponseTime(Strict):
    """A response-time limit: 紧急事项 2 小时内答复."""

    case: str | None = None
    within: float = Field(gt=0)
    unit: TimeUnit
    action: str | None = None


class DutyItem(Strict):
    """One duty; written as plain text, or with ``text`` and its deadlines and response limits."""

    text: Text
    weight: float | None = Field(default=None, gt=0, le=100)
    essential: bool = False
    deadlines: list[Deadline] = Field(default_factory=list)
    response_times: list[ResponseTime] = Field(default_factory=list)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        # The role model turns a plain string into {text: …} before validation; editors' schema must allow both.
        return {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 4000}, handler(core_schema)]}
