"""Revisions: which questions of a version stay comparable with the previous version.

A question is *comparable* when the previous version has a question with the same code, the
same wording and the same scale (points, labels and "vet ej"), and the definition does not list
it as changed; *changed* when the code is kept but the wording or scale differs (or the
definition says so: a changed instruction, say); *new* when the previous version lacks it;
*removed* when only the previous version has it. Trends compare comparable questions only, and
an index only when every one of its items is comparable.
"""

from __future__ import annotations

from likvard_core.surveys.definition import Index, Revision, SurveyVersion


def _same(old: SurveyVersion, new: SurveyVersion, code: str) -> bool:
    before, after = old.question(code), new.question(code)
    return (
        before.text == after.text
        and before.reverse == after.reverse
        and old.scale_of(code) == new.scale_of(code)
    )


def revision_between(old: SurveyVersion | None, new: SurveyVersion) -> Revision:
    """How ``new``'s questions relate to ``old``'s (``old`` None: every question is new)."""
    if old is None:
        return Revision(previous=None, new=new.question_codes)
    before = set(old.question_codes)
    kept = [c for c in new.question_codes if c in before]
    comparable = tuple(c for c in kept if c not in new.changed and _same(old, new, c))
    return Revision(
        previous=old.version,
        comparable=comparable,
        changed=tuple(c for c in kept if c not in comparable),
        new=tuple(c for c in new.question_codes if c not in before),
        removed=tuple(c for c in old.question_codes if c not in set(new.question_codes)),
    )


def index_comparable(revision: Revision, index: Index) -> bool:
    """True when every item of ``index`` is comparable across ``revision``."""
    return all(item in revision.comparable for item in index.items)
