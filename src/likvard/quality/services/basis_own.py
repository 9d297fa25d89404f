"""Whether the subject of an analysis basis has values of its own, and what to say when not.

A gymnasium school unit whose statistics are published per municipality only (or whose own
statistics end before the year shown) has a table of '.' in every value cell. The page and every
file of the basis say why in the same sentence, decided here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from likvard.organisations.labels import school_year_label
from likvard_core.analytics.quality.basis import AnalysisBasis, SubjectKind


@dataclass(frozen=True, slots=True)
class OwnValues:
    """Whether the subject has a value of its own in the year shown (``this_year``), and the
    newest other school year in which it has one (``newest``, from its own trends; None when
    none). A region always counts as having its own: it shows its members."""

    this_year: bool
    newest: int | None

    @property
    def newest_label(self) -> str:
        """The newest school year with the subject's own values as '2023/24', or ""."""
        return school_year_label(self.newest) if self.newest else ""


def _own(figure: object) -> bool:
    """True when ``figure`` is a value of the subject's own, shown or hidden ('..')."""
    return bool(getattr(figure, "shown", False) or getattr(figure, "mark", "") == "..")


def own_values(basis: AnalysisBasis) -> OwnValues:
    """Whether ``basis``'s subject has values of its own in the year shown and in which other
    school year it last had them. A trend of the municipality's values is not the unit's own."""
    blocks = basis.all_blocks()
    this_year = basis.subject_kind == SubjectKind.REGION or any(
        _own(block.value) for block in blocks
    )
    years = {
        point.school_year
        for block in blocks
        if not block.trend_of_sv  # a trend of the municipality's values is not the unit's
        for point in block.trend
        if point.school_year != basis.school_year and _own(point.figure)
    }
    return OwnValues(this_year, max(years, default=None))


def no_own_values_sentences(basis: AnalysisBasis) -> list[str]:
    """What the files say when the subject has no values of its own in the year shown (the
    page's sentence, with the newest year named instead of linked), or [] when it has."""
    own = own_values(basis)
    if own.this_year:
        return []
    name = basis.subject_name
    if own.newest:
        return [
            _(
                "%(name)s has no values of its own in %(year)s: its tables show . (no data) "
                "beside the comparisons."
            )
            % {"name": name, "year": basis.year_label},
            _("The newest school year with its own values is %(newest)s.")
            % {"newest": own.newest_label},
        ]
    return [
        _(
            "%(name)s has no values of its own in the basis in any school year: its tables "
            "show . (no data), and the comparisons show the values that exist, such as the "
            "municipality's and the nation's."
        )
        % {"name": name}
    ]
