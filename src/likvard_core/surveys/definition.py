"""Survey definitions: questions, response scales, areas, indices and thresholds per version.

A survey (``gr-elev``: GR's pupil survey) has one version per year (``2025``). A version lists
its questions, each on a response scale and in a question area; background questions (gender,
born abroad) are answered but belong to no index; add-on questions belong to the
municipalities that ordered them. Indices name their items, the scoring method, and the
minimum number of items a respondent must answer to get an index value
(``likvard_core.surveys.index``). A version's revision against the previous version says which
questions stay comparable, which changed and which are new (``likvard_core.surveys.revision``).

Definitions are plain JSON documents (``parse_definition``); the ones shipped with Likvärd are in
``likvard_core/surveys/data``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Method(StrEnum):
    """How an index turns answers into item scores."""

    RESCALE_0_10 = "rescale_0_10"
    """Skolinspektionen's Skolenkäten: the scale's points spread evenly over 0-10."""
    WEIGHTED_100 = "weighted_100"
    """Fixed weights per point, 100-66-33-0 on four points (100-50-0 on three)."""


class Respondents(StrEnum):
    """Who answers a survey."""

    PUPILS = "pupils"
    GUARDIANS = "guardians"


class DefinitionError(ValueError):
    """A definition document that is not a valid survey definition; names the path."""


@dataclass(frozen=True, slots=True)
class ScalePoint:
    """One answer of a scale: its stored value, label, weight (``weighted_100``), smiley."""

    value: int
    label: str
    weight: float | None = None
    smiley: str | None = None  # "happy", "neutral", "sad": shown instead of a box


@dataclass(frozen=True, slots=True)
class Scale:
    """A response scale; ``points`` from the most positive to the least, ``dont_know`` the value
    of "vet ej" (answered, but outside every index) or None."""

    key: str
    points: tuple[ScalePoint, ...]
    dont_know: int | None = None
    smileys: bool = False

    @property
    def values(self) -> frozenset[int]:
        """Every value an answer may hold (the points and "vet ej")."""
        extra = {self.dont_know} if self.dont_know is not None else set()
        return frozenset({p.value for p in self.points} | extra)

    def score(self, value: int, method: Method, *, reverse: bool = False) -> float | None:
        """The item score of ``value``: None for "vet ej" and values off the scale."""
        order = [p.value for p in self.points]
        if value not in order:
            return None
        rank = order.index(value)  # 0 = most positive
        if reverse:
            rank = len(order) - 1 - rank
        if method is Method.RESCALE_0_10:
            return 10.0 * (len(order) - 1 - rank) / (len(order) - 1)
        weight = self.points[rank].weight
        if weight is None:
            raise DefinitionError(f"scale {self.key}: point {order[rank]} has no weight")
        return weight


@dataclass(frozen=True, slots=True)
class Question:
    """One question: code (the vendor file's column), text, scale and area.

    ``reverse``: agreeing is negative ("Jag blir retad"), so the scale is inverted in indices.
    ``background``: a background question (in no index). ``municipalities``: an add-on
    question asked only there (empty: everyone).
    """

    code: str
    text: str
    scale: str
    area: str | None = None
    reverse: bool = False
    background: bool = False
    municipalities: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Area:
    """A question area (trygghet, studiero ...)."""

    key: str
    name: str


@dataclass(frozen=True, slots=True)
class Index:
    """An index: its items, scoring method and the minimum items a respondent must answer."""

    key: str
    name: str
    items: tuple[str, ...]
    method: Method
    min_answered: int


@dataclass(frozen=True, slots=True)
class Thresholds:
    """A survey's own reporting thresholds: at least ``respondents`` answers and a response
    rate of at least ``response_rate`` (a share, 0-1) for a figure to be shown."""

    respondents: int = 10
    response_rate: float = 0.5


@dataclass(frozen=True, slots=True)
class Revision:
    """How a version's questions relate to the previous version's (by question code)."""

    previous: str | None
    comparable: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    new: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SurveyVersion:
    """One version of a survey, the unit a round and a vendor file belong to."""

    survey: str
    version: str
    name: str
    respondents: Respondents
    year_groups: tuple[int, ...]
    language: str
    scales: dict[str, Scale]
    areas: tuple[Area, ...]
    questions: tuple[Question, ...]
    indices: tuple[Index, ...]
    thresholds: Thresholds = field(default_factory=Thresholds)
    previous: str | None = None
    changed: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """``survey/version``, e.g. ``gr-elev/2025``."""
        return f"{self.survey}/{self.version}"

    def question(self, code: str) -> Question:
        """The question called ``code``; ``KeyError`` when there is none."""
        for question in self.questions:
            if question.code == code:
                return question
        raise KeyError(code)

    def scale_of(self, code: str) -> Scale:
        """The scale of question ``code``."""
        return self.scales[self.question(code).scale]

    @property
    def question_codes(self) -> tuple[str, ...]:
        """Every question's code, in questionnaire order."""
        return tuple(q.code for q in self.questions)


def _require(doc: dict[str, object], key: str, path: str) -> object:
    if key not in doc:
        raise DefinitionError(f"{path}: missing {key!r}")
    return doc[key]


def _list(value: object, path: str) -> list[dict[str, object]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise DefinitionError(f"{path}: expected a list of objects")
    return value


def _strings(value: object, path: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise DefinitionError(f"{path}: expected a list")
    return [str(v) for v in value]


def _scale(doc: dict[str, object], path: str) -> Scale:
    points = tuple(
        ScalePoint(
            value=int(str(_require(p, "value", f"{path}.points[{i}]"))),
            label=str(_require(p, "label", f"{path}.points[{i}]")),
            weight=None if p.get("weight") is None else float(str(p["weight"])),
            smiley=None if p.get("smiley") is None else str(p["smiley"]),
        )
        for i, p in enumerate(_list(_require(doc, "points", path), f"{path}.points"))
    )
    if len(points) < 2 or len({p.value for p in points}) != len(points):  # noqa: PLR2004
        raise DefinitionError(f"{path}: a scale needs two or more distinct points")
    dont_know = doc.get("dont_know")
    return Scale(
        key=str(_require(doc, "key", path)),
        points=points,
        dont_know=None if dont_know is None else int(str(dont_know)),
        smileys=bool(doc.get("smileys", False)),
    )


def _question(doc: dict[str, object], path: str) -> Question:
    municipalities = doc.get("municipalities") or []
    if not isinstance(municipalities, list):
        raise DefinitionError(f"{path}.municipalities: expected a list")
    return Question(
        code=str(_require(doc, "code", path)),
        text=str(_require(doc, "text", path)),
        scale=str(_require(doc, "scale", path)),
        area=None if doc.get("area") is None else str(doc["area"]),
        reverse=bool(doc.get("reverse", False)),
        background=bool(doc.get("background", False)),
        municipalities=frozenset(str(m) for m in municipalities),
    )


def _index(doc: dict[str, object], path: str) -> Index:
    items = _require(doc, "items", path)
    if not isinstance(items, list) or not items:
        raise DefinitionError(f"{path}.items: expected a non-empty list")
    try:
        method = Method(str(_require(doc, "method", path)))
    except ValueError:
        raise DefinitionError(f"{path}.method: one of {[m.value for m in Method]}") from None
    minimum = int(str(doc.get("min_answered", 1)))
    if not 1 <= minimum <= len(items):
        raise DefinitionError(f"{path}.min_answered: between 1 and the number of items")
    return Index(
        key=str(_require(doc, "key", path)),
        name=str(_require(doc, "name", path)),
        items=tuple(str(i) for i in items),
        method=method,
        min_answered=minimum,
    )


def parse_definition(doc: dict[str, object]) -> SurveyVersion:
    """The ``SurveyVersion`` a JSON document describes; ``DefinitionError`` naming the first
    problem (a missing key, an unknown scale, area or index item, a weightless point)."""
    scales = {
        s.key: s
        for s in (
            _scale(d, f"scales[{i}]") for i, d in enumerate(_list(doc.get("scales"), "scales"))
        )
    }
    areas = tuple(
        Area(str(_require(d, "key", f"areas[{i}]")), str(_require(d, "name", f"areas[{i}]")))
        for i, d in enumerate(_list(doc.get("areas", []), "areas"))
    )
    questions = tuple(
        _question(d, f"questions[{i}]")
        for i, d in enumerate(_list(doc.get("questions"), "questions"))
    )
    indices = tuple(
        _index(d, f"indices[{i}]") for i, d in enumerate(_list(doc.get("indices", []), "indices"))
    )
    thresholds = doc.get("thresholds") or {}
    if not isinstance(thresholds, dict):
        raise DefinitionError("thresholds: expected an object")
    version = SurveyVersion(
        survey=str(_require(doc, "survey", "")),
        version=str(_require(doc, "version", "")),
        name=str(_require(doc, "name", "")),
        respondents=Respondents(str(doc.get("respondents", "pupils"))),
        year_groups=tuple(int(y) for y in _strings(doc.get("year_groups"), "year_groups")),
        language=str(doc.get("language", "sv-SE")),
        scales=scales,
        areas=areas,
        questions=questions,
        indices=indices,
        thresholds=Thresholds(
            respondents=int(thresholds.get("respondents", 10)),
            response_rate=float(thresholds.get("response_rate", 0.5)),
        ),
        previous=None if doc.get("previous") is None else str(doc["previous"]),
        changed=tuple(_strings(doc.get("changed"), "changed")),
    )
    _check(version)
    return version


def _check(version: SurveyVersion) -> None:
    codes = version.question_codes
    if len(set(codes)) != len(codes):
        raise DefinitionError("questions: a question code appears twice")
    areas = {a.key for a in version.areas}
    for i, question in enumerate(version.questions):
        if question.scale not in version.scales:
            raise DefinitionError(f"questions[{i}].scale: unknown scale {question.scale!r}")
        if question.area is not None and question.area not in areas:
            raise DefinitionError(f"questions[{i}].area: unknown area {question.area!r}")
    for i, index in enumerate(version.indices):
        for item in index.items:
            if item not in codes or version.question(item).background:
                raise DefinitionError(f"indices[{i}].items: {item!r} is not an answer question")
            scale = version.scale_of(item)
            if index.method is Method.WEIGHTED_100 and any(p.weight is None for p in scale.points):
                raise DefinitionError(f"indices[{i}]: scale {scale.key!r} has no weights")
