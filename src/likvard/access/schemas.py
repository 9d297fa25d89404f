"""API schemas shared by every app: the error body, released tables, bounded parameters, and
the access app's own (who am I, personal API tokens)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator

from likvard.access.models import ApiToken, TokenScope, token_name_problem
from likvard.access.release import Released

Cell = float | int | str | bool | None


class ErrorDetail(Schema):
    """What went wrong: a stable English ``code`` for programs and a Swedish ``message``.

    ``details`` lists the invalid fields of a 422 (``loc``, ``msg``, ``type``).
    """

    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorOut(Schema):
    """Every error of the API has this shape, whatever its status."""

    error: ErrorDetail


class ReleasedTableOut(Schema):
    """A released table: column names, rows (``null`` = hidden or not computable), provenance.

    ``full`` is true when the figures are the viewer's own student-level data, unsuppressed;
    the ``status`` column says why a row's figures are hidden; ``provenance`` is the line shown
    under the table on the page (source and data version).
    """

    columns: list[str]
    rows: list[dict[str, Cell]]
    source: str
    data_version: str
    full: bool
    provenance: str
    not_applicable: list[str] = []
    """Columns that are no figure (``null``) in the rows whose ``not_applicable`` column gives
    a reason (``not_yet_observable``: the figure cannot have been seen yet), shown or hidden:
    neither 0 nor a hidden small group."""

    @classmethod
    def from_released(cls, released: Released) -> ReleasedTableOut:
        """The schema for one ``Released`` table (NaN becomes ``null``)."""
        rows = [{k: _cell(v) for k, v in row.items()} for row in released.rows()]
        return cls(
            columns=list(released.table.schema.names),
            rows=rows,
            source=released.source,
            data_version=released.data_version,
            full=released.full,
            provenance=released.provenance,
            not_applicable=list(released.not_applicable),
        )


def _cell(value: object) -> Cell:
    """A JSON cell: NaN and infinities (not computable) become ``null``; dates become text."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, float | int | str | bool):
        return value
    return str(value)


class RoleOut(Schema):
    role: str
    region: str | None
    organizer: str | None
    school_unit: str | None


class MeOut(Schema):
    username: str
    roles: list[RoleOut]
    student_data_organizers: list[str]
    student_data_school_units: list[str]


def _token_name(value: str) -> str:
    problem = token_name_problem(value)
    if problem:
        raise ValueError(problem)
    return value.strip()


class TokenIn(Schema):
    name: Annotated[
        str,
        Field(min_length=1, max_length=100, description="Ett namn på nyckeln, högst 100 tecken"),
        AfterValidator(_token_name),
    ]
    scopes: list[TokenScope] = Field(
        default=[TokenScope.READ],
        min_length=1,
        description="Vad nyckeln får göra: read (läsa analyser), import, manage (administrera)",
    )
    days: int = Field(default=90, ge=1, le=365, description="Giltig så många dagar (1–365)")


class TokenListOut(Schema):
    """One of your live tokens: never the secret, only its first characters."""

    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenListOut:
        """The schema of one token row."""
        return cls(
            id=token.pk,
            name=token.name,
            prefix=token.prefix,
            scopes=list(token.scopes),
            created_at=token.created_at,
            expires_at=token.expires_at,  # type: ignore[arg-type]  # live tokens have one
            last_used_at=token.last_used_at,
        )


class TokenOut(Schema):
    """A new token, with its secret: shown this once."""

    id: int
    name: str
    scopes: list[str]
    expires_at: datetime
    token: str = Field(description="Visas bara en gång: spara den.")
