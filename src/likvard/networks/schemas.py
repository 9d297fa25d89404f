"""API schemas of the networks app (one output schema per operation)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class NetworkOut(Schema):
    code: str
    name: str
    region: str
    parent: str | None
    member: bool
    member_count: int
    roles: list[str]


class SearchHitOut(Schema):
    meeting_id: int
    item_id: int
    network: str
    held_on: dt.date | None
    item_number: int
    title: str
    snippet: str
    matched_words: list[str]
    attachment_id: int | None


class ActionItemOut(Schema):
    text: str
    owner_name: str
    organisation_name: str
    due: dt.date | None
    network: str
    meeting_id: int
