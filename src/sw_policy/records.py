"""Records: the five kinds of thing a provision can be checked against.

Field names and vocabularies are the public contract (shared/spec/CONTRACT.md).
Models are frozen and refuse unknown fields, so a misspelt column is an error
rather than a silently defaulted value. Money and hours are Decimal. The order
of the Certificate and Education members is their rank ("or higher" in a rule
compares these ranks); thresholds themselves live in rules/, never here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import typing
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

__all__ = [
    "KINDS",
    "Budget",
    "Certificate",
    "Community",
    "CommunitySetting",
    "Education",
    "EmployerType",
    "Institution",
    "PostSeries",
    "Record",
    "RecordKind",
    "Region",
    "TitleBasis",
    "TitleTier",
    "TrainingSession",
    "Worker",
    "rank_of",
]

RecordKind = Literal["budget", "worker", "community", "institution", "region"]
KINDS: tuple[RecordKind, ...] = ("budget", "worker", "community", "institution", "region")

_CODE = re.compile(r"^[1-9][0-9]{5}$")  # ASCII digits only: \d also matches ３ and ٣

AMOUNT_MAX_WHOLE_DIGITS = 15
"""Amounts and hours are below 10**15 in magnitude (a thousand trillion yuan)."""
AMOUNT_MAX_PLACES = 9
"""...and have at most 9 decimal places as written: the range both engines hold exactly."""
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


def _check_code(code: str) -> str:
    if not _CODE.match(code):
        raise ValueError(f"{code!r} is not a 6-digit GB/T 2260 division code such as 330106")
    return code


Jurisdiction = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_check_code),
    Field(description="6-digit GB/T 2260 administrative division code, e.g. 330106"),
]


def _iso_date(value: object) -> object:
    """Dates only as ISO text (or a date): 0 or "86400" is not a Unix timestamp here."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise ValueError(f"{value.isoformat()!r} has a time of day; write the date alone")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        return value.strip()
    shown = repr(value) if isinstance(value, str) else str(value)[:40]
    raise ValueError(f"{shown[:60]} is not an ISO date such as 2024-06-30")


class RefusedText(str):
    """Text a reader has already refused as a number, carrying the reader's reason: the
    model raises that reason, so a refused amount reads alike from every route (a CSV
    cell, a JSON string, a dict, `watch`), worded in one place (inputs/amounts.py)."""

    reason: str

    def __new__(cls, text: str, reason: str) -> RefusedText:
        made = super().__new__(cls, text)
        made.reason = reason
        return made


def _decimal_text(value: object) -> object:
    """Amount text in ASCII digits only (Decimal() would also read ３ and ٣), range checked
    before any arithmetic."""
    if isinstance(value, RefusedText):
        raise ValueError(value.reason)
    if isinstance(value, str):
        if not _PLAIN_NUMBER.match(value.strip()):
            raise ValueError(f"{value[:60]!r} is not a number written in digits 0-9")
        return _amount_range(Decimal(value.strip()))
    if isinstance(value, Decimal):
        return _amount_range(value)
    return value


def _amount_range(value: Decimal) -> Decimal:
    """The documented range, checked on the digits alone (1e999999 costs nothing)."""
    if not value.is_finite():
        return value  # allow_inf_nan=False reports it
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if value and exponent + len(digits) > AMOUNT_MAX_WHOLE_DIGITS:
        raise ValueError(
            f"out of range: at most {AMOUNT_MAX_WHOLE_DIGITS} digits before the decimal point"
        )
    if -exponent > AMOUNT_MAX_PLACES:
        raise ValueError(f"more than {AMOUNT_MAX_PLACES} decimal places; round it")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
RecordId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Count = Annotated[int, Field(ge=0, lt=10**AMOUNT_MAX_WHOLE_DIGITS)]
Money = Annotated[
    Decimal,
    BeforeValidator(_decimal_text),
    Field(allow_inf_nan=False),
    AfterValidator(_amount_range),
]
Hours = Annotated[
    Decimal,
    BeforeValidator(_decimal_text),
    Field(ge=0, allow_inf_nan=False),
    AfterValidator(_amount_range),
]


class Certificate(StrEnum):
    """National social-worker certificate, lowest rank first."""

    NONE = "none"
    ASSISTANT = "assistant"  # 助理社会工作师
    INTERMEDIATE = "intermediate"  # 社会工作师
    SENIOR = "senior"  # 高级社会工作师


class Education(StrEnum):
    """Highest education completed, lowest rank first."""

    NONE = "none"
    SECONDARY = "secondary"
    JUNIOR_COLLEGE = "junior_college"  # 大专
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


class EmployerType(StrEnum):
    """Who employs a worker."""

    URBAN_COMMUNITY = "urban_community"
    RURAL_COMMUNITY = "rural_community"
    PUBLIC_INSTITUTION = "public_institution"
    CHARITY_ORG = "charity_org"
    SW_SERVICE_ORG = "sw_service_org"
    GOVERNMENT = "government"
    ENTERPRISE = "enterprise"
    OTHER = "other"


class PostSeries(StrEnum):
    """Whether a post is a social-work professional-technical post (社会工作专业技术岗位)."""

    SOCIAL_WORK = "social_work"
    OTHER = "other"


class TitleTier(StrEnum):
    """Professional title tier (初级/中级/高级职称)."""

    NONE = "none"
    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    SENIOR = "senior"


class TitleBasis(StrEnum):
    """What a title rests on: the certificate (以证书视同), a review (评审), or other."""

    CERTIFICATE = "certificate"
    REVIEW = "review"
    OTHER = "other"


class CommunitySetting(StrEnum):
    """Urban or rural community (城市社区 / 农村社区)."""

    URBAN = "urban"
    RURAL = "rural"


_RANKS: dict[str, dict[str, int]] = {
    field: {member.value: rank for rank, member in enumerate(vocabulary)}
    for field, vocabulary in (("certificate", Certificate), ("education", Education))
}


def rank_of(field: str, value: str) -> int:
    """Rank of `value` in the ordered vocabulary of `field` (certificate, education).

    Raises ValueError for a value that is not a level of that field.
    """
    try:
        return _RANKS[field][value]
    except KeyError:
        raise ValueError(f"{value!r} is not a {field} level") from None


def ranked_fields() -> frozenset[str]:
    """Fields whose values have a rank (so "X or higher" can be evaluated)."""
    return frozenset(_RANKS)


class _RecordBase(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        coerce_numbers_to_str=True,
        str_strip_whitespace=True,
        defer_build=True,  # built on first validation: a run validates one or two kinds
    )

    id: RecordId
    jurisdiction: Jurisdiction
    as_of: IsoDate | None = Field(
        default=None, description="Date the record describes; defaults to the run's as-of."
    )
    name: str | None = Field(default=None, description="A human label; not used by any rule.")


class Budget(_RecordBase):
    """A government-purchased social-work service project's budget."""

    kind: Literal["budget"] = "budget"
    total_funds: Annotated[Money, Field(gt=0, description="项目经费; blank = unknown")] | None = (
        None
    )
    labour_cost: Annotated[Money, Field(ge=0, description="人力成本; blank = unknown")] | None = (
        None
    )


class TrainingSession(BaseModel):
    """One completed training session."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    date: IsoDate
    hours: Hours


class Worker(_RecordBase):
    """A person doing social work."""

    kind: Literal["worker"] = "worker"
    certificate: Certificate = Certificate.NONE
    certificate_registered: bool = False
    education: Education = Education.NONE
    major: str | None = None
    training: tuple[TrainingSession, ...] | None = Field(
        default=None, description="Training sessions; when given, hours are summed from it."
    )
    training_hours_5y: Hours | None = Field(
        default=None, description="Flat-file form: hours in the five years up to as-of."
    )
    training_hours_total: Hours | None = Field(
        default=None, description="Flat-file form: all training hours up to as-of."
    )
    employer_type: EmployerType = EmployerType.OTHER
    direct_service: bool = True
    counted_as_professional: bool = True
    post_level: Annotated[int, Field(ge=1, le=13)] | None = None
    post_title: str | None = None
    post_series: PostSeries | None = Field(
        default=None,
        description="social_work, or other when post_title names a title outside social work.",
    )
    in_purchased_project: bool = False
    title_tier: TitleTier | None = None
    title_basis: TitleBasis | None = None
    occupational_allowance: bool | None = Field(
        default=None, description="Whether the worker is paid an occupational allowance (职业津贴)."
    )
    social_insurance: bool | None = Field(
        default=None, description="Whether the employer enrols the worker in social insurance."
    )
    housing_fund: bool | None = Field(
        default=None, description="Whether the employer pays into the worker's housing fund."
    )

    @model_validator(mode="after")
    def _series_from_title(self) -> Worker:
        """A post is a social-work post unless said otherwise or its title names another."""
        if self.post_series is None:
            outside = self.post_title is not None and "社会工作" not in self.post_title
            series = PostSeries.OTHER if outside else PostSeries.SOCIAL_WORK
            object.__setattr__(self, "post_series", series)
        return self


class Community(_RecordBase):
    """An urban or rural community (社区)."""

    kind: Literal["community"] = "community"
    setting: CommunitySetting | None = None
    sw_professionals: Count | None = None
    sw_skilled_workers: Count | None = None
    demonstration: bool = False
    certified_staff: Count | None = None
    special_group_projects: Count | None = None
    community_social_orgs: Count | None = None
    registered_volunteers: Count | None = None
    resident_population: Count | None = None
    community_fund: bool | None = None


class Institution(_RecordBase):
    """A public institution (事业单位)."""

    kind: Literal["institution"] = "institution"
    sw_focused: bool | None = None
    professional_posts: Count | None = None
    sw_posts: Count | None = None


InfluenceField = Literal[
    "community",
    "social_assistance",
    "elderly",
    "children_youth",
    "medical",
    "drug_rehab",
    "community_correction",
]


class Region(_RecordBase):
    """A jurisdiction's figures for one year."""

    kind: Literal["region"] = "region"
    year: Annotated[int, Field(ge=1949, le=2100)]
    certified_workers: Count | None = None
    certified_workers_prev_year: Count | None = None
    sw_posts: Count | None = None
    sw_orgs: Count | None = None
    hub_orgs: Count | None = None
    procurement_ready_orgs: Count | None = None
    influential_orgs: Count | None = None
    supervisors: Count | None = None
    sw_talent_total: Count | None = None
    sw_professionals: Count | None = None
    influential_orgs_by_field: dict[InfluenceField, Count] | None = Field(
        default=None, description="Organisations of city-level influence, per field."
    )

    @model_validator(mode="before")
    @classmethod
    def _fold_flat_columns(cls, data: object) -> object:
        """`influential_orgs_by_field.elderly` (a CSV/XLSX column) is that map's entry."""
        return fold_flat_columns("region", data)


Record = Annotated[Budget | Worker | Community | Institution | Region, Field(discriminator="kind")]

MODEL_OF_KIND: dict[str, type[_RecordBase]] = {
    "budget": Budget,
    "worker": Worker,
    "community": Community,
    "institution": Institution,
    "region": Region,
}


MAP_SEPARATOR = "."
"""Joins a map field and a key into a flat column name: influential_orgs_by_field.elderly."""


def map_keys(kind: str) -> dict[str, tuple[str, ...]]:
    """The kind's map fields (a fixed set of keys to counts) and their keys, from the model.

    Flat files carry one column per key (see flat_columns); a key left out is unknown.
    """
    return dict(_map_keys(kind))


@functools.cache  # get_type_hints resolves every annotation: rule validation asks per node
def _map_keys(kind: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out: dict[str, tuple[str, ...]] = {}
    hints = typing.get_type_hints(MODEL_OF_KIND[kind])
    for name in MODEL_OF_KIND[kind].model_fields:
        for arg in typing.get_args(hints[name]) or (hints[name],):
            if typing.get_origin(arg) is dict:
                out[name] = tuple(str(k) for k in typing.get_args(typing.get_args(arg)[0]))
    return tuple(out.items())


def flat_columns(kind: str) -> dict[str, tuple[str, str]]:
    """Flat column name -> (map field, key), for every entry of the kind's map fields."""
    return dict(_flat_columns(kind))


@functools.cache
def _flat_columns(kind: str) -> tuple[tuple[str, tuple[str, str]], ...]:
    return tuple(
        (f"{name}{MAP_SEPARATOR}{key}", (name, key))
        for name, keys in map_keys(kind).items()
        for key in keys
    )


def fold_flat_columns(kind: str, data: object) -> object:
    """`data` with flat map columns folded into their map (blank cells left out, so unknown).

    An entry given both ways must agree (ValueError otherwise).
    """
    if not isinstance(data, dict) or not any(
        isinstance(k, str) and MAP_SEPARATOR in k for k in data
    ):
        return data
    flat = dict(_flat_columns(kind))
    out: dict[object, object] = {}
    maps: dict[str, dict[str, object]] = {}
    for key, value in data.items():
        target = flat.get(key) if isinstance(key, str) else None
        if target is None:
            out[key] = value
        elif value is not None and not (isinstance(value, str) and not value.strip()):
            maps.setdefault(target[0], {})[target[1]] = value
    for name, entries in maps.items():
        given = out.get(name)
        if given is None:
            out[name] = entries
        elif not isinstance(given, dict):
            return data  # validation refuses the map itself, naming it
        else:
            for key, value in entries.items():
                if key in given and str(given[key]) != str(value):
                    raise ValueError(
                        f"{name}{MAP_SEPARATOR}{key} is given twice ({given[key]!r} in the map, "
                        f"{value!r} as a column); give it once"
                    )
            out[name] = {**given, **entries}
    return out
