"""API schemas of the knowledge bank (one output schema per operation)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class ItemOut(Schema):
    id: int
    title: str
    summary: str
    kind: str
    kind_name: str
    visibility: str
    region: str
    network: str | None
    organisation: str
    authors: str
    published_on: dt.date | None
    review_on: dt.date
    superseded_by: int | None
    success_factors: list[str]
    indicators: list[str]
    school_forms: list[str]
    files: list[str]
    links: list[str]
    url: str


class HitOut(Schema):
    item: ItemOut
    title: str
    snippet: str
    matched_words: list[str]
