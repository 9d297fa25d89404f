"""The analysis basis as an export ``Document``, rendered to XLSX, PDF, PPTX and DOCX by
``likvard.exports``.

The basis handed in is already released for the viewer: a figure is a number only when it is
shown, otherwise its mark ('..') with the Swedish reason in the notes, so no file can print a
hidden value. The workbook has a sheet per goal with the full indicator table, the members side
by side, what stands out and a trend table with a native line chart per indicator; the printed
report adds each indicator's definition and trend chart; the slides show a short table per
goal and, for each flagged indicator, its chart and what stands out.
"""

from __future__ import annotations

from likvard.exports.document import (
    NOT_SLIDES,
    PRINT,
    Block,
    Chart,
    Column,
    Document,
    Facts,
    Field,
    Heading,
    Hidden,
    Kind,
    Medium,
    Number,
    Paragraph,
    Section,
    Table,
    Value,
)
from likvard.organisations.labels import school_year_label
from likvard.quality.services.basis_own import no_own_values_sentences
from likvard_core.analytics.quality.basis import AnalysisBasis, Figure, IndicatorBlock
from likvard_core.analytics.quality.catalogue_model import Unit
from likvard_core.analytics.quality.charts import trend_chart

XLSX = frozenset({Medium.XLSX})
SLIDES = frozenset({Medium.PPTX})
PRINT_AND_SLIDES = frozenset({Medium.PDF, Medium.DOCX, Medium.PPTX})


def _column(header: str, unit: Unit | None) -> Column:
    return Column(header, Kind.DECIMAL, decimals=1) if unit is not None else Column(header)


def figure_value(figure: Figure | None, unit: Unit | None) -> Value:
    """A number for a shown figure (a percent unit as a share 0-1), else its mark and reason."""
    if figure is None:
        return None
    if figure.shown and figure.value is not None:
        return figure.value / 100 if unit is Unit.PERCENT else figure.value
    return Hidden(mark=figure.mark, reason=figure.reason_sv)


def count_value(figure: Figure) -> Value:
    """The group size ``n`` of a shown figure (hidden with it otherwise)."""
    if figure.shown and figure.n is not None:
        return figure.n
    return Hidden(mark=figure.mark) if not figure.shown else None


def comparison_labels(basis: AnalysisBasis) -> list[str]:
    """The comparison columns of the basis, in order."""
    labels: list[str] = []
    for block in basis.all_blocks():
        for comparison in block.comparisons:
            if comparison.label_sv not in labels:
                labels.append(comparison.label_sv)
    return labels


def _unit_of(blocks: tuple[IndicatorBlock, ...]) -> Kind:
    return Kind.PERCENT if all(b.indicator.unit is Unit.PERCENT for b in blocks) else Kind.DECIMAL


def _figure_column(header: str, blocks: tuple[IndicatorBlock, ...]) -> Column:
    """Shares are written as percent only when every row is a share, else as decimals."""
    return Column(header, _unit_of(blocks), decimals=1)


def _row_value(figure: Figure | None, block: IndicatorBlock, kind: Kind) -> Value:
    value = figure_value(figure, block.indicator.unit)
    if kind is Kind.DECIMAL and block.indicator.unit is Unit.PERCENT and isinstance(value, float):
        return Number(value, Kind.PERCENT)  # a mixed table writes each figure in its own unit
    return value


def indicator_table(basis: AnalysisBasis, blocks: tuple[IndicatorBlock, ...]) -> Table:
    """The full indicator table: value, girls, boys, n, comparisons, expected, gap, stands out."""
    labels = comparison_labels(basis)
    kind = _unit_of(blocks)
    columns = [
        Column("Indikator"),
        *(_figure_column(h, blocks) for h in ("Värde", "Flickor", "Pojkar")),
        Column("Antal elever", Kind.COUNT),
        *(_figure_column(label[:1].upper() + label[1:], blocks) for label in labels),
        _figure_column("Förväntat värde", blocks),
        Column("Skillnad mot förväntat", Kind.SIGNED, decimals=1),
        Column("Sticker ut"),
    ]
    rows: list[list[Value]] = []
    for block in blocks:
        by_label = {c.label_sv: c.figure for c in block.comparisons}
        expected = block.expectation.expected if block.expectation else None
        gap = block.expectation.gap if block.expectation else None
        rows.append([
            block.indicator.name,
            _row_value(block.value, block, kind),
            _row_value(block.by_group.get("girls"), block, kind),
            _row_value(block.by_group.get("boys"), block, kind),
            count_value(block.value),
            *(_row_value(by_label.get(label), block, kind) for label in labels),
            _row_value(expected, block, kind),
            gap,
            "Ja" if block.flags else "Nej",
        ])  # fmt: skip
    return Table("", columns, rows, media=NOT_SLIDES)


def slide_table(title: str, blocks: tuple[IndicatorBlock, ...]) -> Table:
    """The short table of the slides: indicator, value, nation, expected, stands out."""
    kind = _unit_of(blocks)
    columns = [
        Column("Indikator"),
        *(_figure_column(h, blocks) for h in ("Värde", "Riket", "Förväntat")),
        Column("Sticker ut"),
    ]
    rows: list[list[Value]] = []
    for block in blocks:
        nation = next((c.figure for c in block.comparisons if c.kind == "nation"), None)
        expected = block.expectation.expected if block.expectation else None
        rows.append([
            block.indicator.name,
            _row_value(block.value, block, kind),
            _row_value(nation, block, kind),
            _row_value(expected, block, kind),
            "Ja" if block.flags else "Nej",
        ])  # fmt: skip
    return Table(title, columns, rows, media=SLIDES)


def members_table(basis: AnalysisBasis, blocks: tuple[IndicatorBlock, ...]) -> Table | None:
    """A region's member municipalities side by side: one row per indicator that has them."""
    with_members = tuple(b for b in blocks if b.members)
    if not basis.members or not with_members:
        return None
    kind = _unit_of(with_members)
    columns = [
        Column("Indikator"),
        *(_figure_column(name, with_members) for _c, name in basis.members),
    ]
    rows = [
        [block.indicator.name, *(_row_value(m.figure, block, kind) for m in block.members)]
        for block in with_members
    ]
    return Table("Medlemskommunerna sida vid sida", columns, rows)


def _indicator_blocks(block: IndicatorBlock) -> list[Block]:
    """What the report says of one indicator; its trend as a table (workbook) or chart."""
    name = block.indicator.name
    flagged = frozenset(PRINT_AND_SLIDES if block.flags else PRINT)
    parts: list[Block] = [
        Heading(name, media=PRINT),
        Paragraph(block.indicator.definition, media=PRINT),
    ]
    parts += [Paragraph(f.sentence_sv, media=PRINT) for f in block.flags]
    if block.note_sv:
        parts.append(Paragraph(block.note_sv, note=True, media=PRINT))
    shown = any(p.figure.shown for p in block.trend)
    if block.trend_of_sv and shown:
        parts.append(Paragraph(f"Utvecklingen avser {block.trend_of_sv}.", note=True, media=PRINT))
    if shown:
        parts.append(Chart(name, spec=trend_chart(block), media=flagged))
    if block.flags:
        parts += [Paragraph(f"{name}: {f.sentence_sv}", media=SLIDES) for f in block.flags]
    if block.trend:
        unit = block.indicator.unit
        kind = Kind.PERCENT if unit is Unit.PERCENT else Kind.DECIMAL
        parts.append(
            Table(
                f"Utveckling: {name}",
                [Column("Läsår"), Column("Värde", kind, decimals=1)],
                [
                    [school_year_label(p.school_year), figure_value(p.figure, unit)]
                    for p in block.trend
                ],
                line_chart=shown,
                media=XLSX,
            )
        )
    return parts


def _section(
    basis: AnalysisBasis, title: str, blocks: tuple[IndicatorBlock, ...], sheet: str
) -> Section:
    parts: list[Block] = [indicator_table(basis, blocks), slide_table(title, blocks)]
    members = members_table(basis, blocks)
    if members is not None:
        parts.append(members)
    flagged = [(b.indicator.name, f) for b in blocks for f in b.flags]
    if flagged:
        parts.append(Heading("Det här sticker ut", media=XLSX))
        parts += [Paragraph(f"{name}: {f.sentence_sv}", media=XLSX) for name, f in flagged]
    for block in blocks:
        parts += _indicator_blocks(block)
    return Section(title, parts, sheet=sheet)


def footnotes(basis: AnalysisBasis) -> list[str]:
    """The marks used in the basis and why, plus the basis's own notes (Swedish)."""
    seen: dict[str, None] = {}
    for block in basis.all_blocks():
        figures = [block.value, *block.by_group.values(), *(c.figure for c in block.comparisons)]
        figures += [m.figure for m in block.members]
        figures += [p.figure for p in block.trend]
        for figure in figures:
            if not figure.shown and figure.reason_sv:
                seen.setdefault(f"{figure.mark} {figure.reason_sv}", None)
    return [*seen, *basis.notes_sv]


def provenance(basis: AnalysisBasis) -> str:
    """Where the figures come from (Swedish)."""
    return (
        f"Källa: Likvärd, dataversion {basis.data_version}; katalog över "
        f"kvalitetssystemet version {basis.catalogue_version}."
    )


def _overview(basis: AnalysisBasis) -> Section:
    facts = [
        ("Läsår", basis.year_label),
        ("Enhet", f"{basis.subject_name} ({basis.subject_code})"),
        ("Dataversion", basis.data_version),
        ("Katalogversion", basis.catalogue_version),
        ("Indikatorer som sticker ut", str(len(basis.flagged()))),
    ]
    if basis.comparison_group is not None:
        facts.append(("Jämförelsegrupp", basis.comparison_group_sv()))
        facts.append(("Så valdes gruppen", basis.comparison_group.explanation_sv()))
    notes = [Paragraph(n, note=True, media=XLSX) for n in footnotes(basis)]
    # A unit without values of its own says why its tables read '.', as its page does.
    no_own = [Paragraph(sentence) for sentence in no_own_values_sentences(basis)]
    return Section(
        "Översikt",
        [Facts(facts, media=frozenset({Medium.XLSX, Medium.PDF, Medium.DOCX})), *no_own,
         Heading("Anmärkningar", media=XLSX), *notes],
        sheet="Översikt",
    )  # fmt: skip


def _own_analysis(basis: AnalysisBasis) -> Section:
    fields = [
        ("Styrkor", basis.own_analysis.strengths),
        ("Utvecklingsområden", basis.own_analysis.development_areas),
        ("Åtgärder", basis.own_analysis.actions),
    ]
    fields += [(f"Analys: {g.goal.title}", g.own_analysis) for g in basis.goals]
    blocks: list[Block] = [Facts(fields, media=XLSX)]
    blocks += [Field(label) for label, _text in fields[:3]]
    return Section("Egen analys", blocks, sheet="Egen analys", media=NOT_SLIDES)


def _sheet(title: str) -> str:
    return title.replace("Nationell målsättning för ", "Mål ")


def basis_document(basis: AnalysisBasis) -> Document:
    """The whole analysis basis as an export document."""
    sections = [_overview(basis)]
    sections += [
        _section(basis, s.goal.title, s.indicators, _sheet(s.goal.title)) for s in basis.goals
    ]
    if basis.conditions:
        sections.append(
            _section(basis, "Verksamhetens förutsättningar", basis.conditions, "Förutsättningar")
        )
    factors = [
        Paragraph(f"{f.title}{' (kandidat)' if f.status.value == 'candidate' else ''}")
        for f in basis.success_factors
    ]
    sections.append(Section("Framgångsfaktorer", factors, media=PRINT))
    sections.append(_own_analysis(basis))
    about = list(footnotes(basis))
    if basis.comparison_group is not None:
        about[:0] = [
            basis.comparison_group.explanation_sv(),
            f"Jämförelsegrupp: {basis.comparison_group_sv()}.",
        ]
    sections.append(
        Section("Om underlaget", [Paragraph(n, note=True) for n in about], media=PRINT_AND_SLIDES)
    )
    return Document(
        title=f"Analysunderlag {basis.year_label}: {basis.subject_name}",
        subtitle=f"{basis.subject_name} ({basis.subject_code}). {provenance(basis)}",
        sections=sections,
        sources=[provenance(basis)],
        filename=f"analysunderlag-{basis.subject_code}-{basis.school_year}",
    )
