"""The demo's knowledge bank: GR's material tied to both of the catalogue's success factors, to
indicators (among them the absence indicator that stands out in Kungsbacka's analysis basis) and
to the demo meetings where it was presented. Idempotent: items are found again by title."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from likvard.exports.document import Document, Medium, Paragraph, Section
from likvard.exports.files import render
from likvard.knowledge.models import Editor, Item, ItemKind, Topic
from likvard.knowledge.services.items import ItemData, NewFile, item_create, topic_add
from likvard.networks.models import AgendaItem, Network
from likvard.organisations.models import Region
from likvard.quality.models import Goal, Indicator, SuccessFactor

TOPICS = ("Närvaro och frånvaro", "Fullföljda studier", "Elevhälsa")


@dataclass(frozen=True, slots=True)
class DemoItem:
    """One demo item: its fields and the codes of what it is tied to."""

    title: str
    summary: str
    kind: str
    visibility: str
    owner: str
    review_on: dt.date
    published_on: dt.date
    network: str = ""
    organisation: str = ""
    authors: str = ""
    project: str = ""
    factors: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    school_forms: tuple[str, ...] = ()
    analyses: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    presented: tuple[tuple[str, dt.date, int], ...] = ()
    links: tuple[str, ...] = ()
    pdf_text: str = ""


ITEMS = (
    DemoItem(
        "Systematiskt kvalitetsarbete med undervisningen i fokus – forskningssammanställning",
        "Vad forskningen säger om kvalitetsarbete som utgår från undervisningen: hur "
        "huvudmän och rektorer följer upp resultat, analyserar orsaker och prövar förändringar "
        "i klassrummet. Sammanställd av den regionala kunskapsnoden efter Skolverkets lista.",
        ItemKind.RESEARCH,
        "public",
        "samordnare",
        dt.date(2027, 6, 30),
        dt.date(2024, 3, 1),
        organisation="Göteborgsregionen",
        authors="Regionala kunskapsnoden",
        project="Kunskapsnoden 2023–2024",
        factors=("sf_systematic_quality_work",),
        goals=("goal_grundskola", "goal_gymnasieskola"),
        school_forms=("grundskola", "gymnasieskola"),
        links=("https://www.skolverket.se/skolutveckling/nationellt-kvalitetssystem",),
        pdf_text="Huvudmännens kvalitetsarbete blir starkare när analyserna av elevernas "
        "resultat leder till förändringar i undervisningen. Uppföljningar som följs av "
        "gemensamma analyser och prövade åtgärder ger bäst effekt.",
    ),
    DemoItem(
        "Elevernas delaktighet – metodmaterial för klassråd och elevenkäter",
        "Ett metodmaterial för skolor som vill låta eleverna påverka undervisningen: "
        "klassråd med tydliga frågor, korta enkäter och återkoppling till eleverna.",
        ItemKind.METHOD,
        "regional",
        "samordnare",
        dt.date(2026, 10, 1),
        dt.date(2023, 9, 15),
        organisation="Göteborgsregionen",
        authors="Projektet Fullföljda studier",
        project="Fullföljda studier",
        factors=("sf_student_participation",),
        school_forms=("grundskola",),
        analyses=("surveys",),
        topics=("Elevhälsa",),
    ),
    DemoItem(
        "Frånvaro i grundskolan – så följer skolor upp närvaron tidigt",
        "Rutiner för att tidigt upptäcka och följa upp frånvaro: veckovis uppföljning, "
        "kontakt med vårdnadshavare och elevhälsans stöd. Exempel från tre kommuner i regionen.",
        ItemKind.TOOL,
        "public",
        "samordnare",
        dt.date(2027, 3, 1),
        dt.date(2024, 5, 20),
        organisation="Göteborgsregionen",
        authors="Nätverket för elevhälsa",
        project="Närvaroprojektet",
        factors=("sf_systematic_quality_work",),
        indicators=("gr_absence",),
        school_forms=("grundskola",),
        topics=("Närvaro och frånvaro",),
    ),
    DemoItem(
        "Skolverkets nationella kvalitetssystem – presentation för Kvalitetsnätverket",
        "Bilderna från Skolverkets genomgång av det nationella kvalitetssystemet: mål, "
        "delmål, indikatorer, framgångsfaktorer och kvalitetsdialogerna.",
        ItemKind.SLIDES,
        "network",
        "sekreterare",
        dt.date(2026, 12, 1),
        dt.date(2022, 11, 30),
        network="kvalitetsnatverket",
        organisation="Skolverket",
        factors=("sf_systematic_quality_work", "sf_student_participation"),
        presented=(("kvalitetsnatverket", dt.date(2022, 11, 30), 2),),
    ),
    DemoItem(
        "Fullföljda studier på introduktionsprogrammen – slutrapport",
        "Slutredovisningen av Göteborgs satsning på introduktionsprogrammen: hur många elever "
        "som gick vidare till nationella program och vad som hjälpte dem.",
        ItemKind.REPORT,
        "regional",
        "sekreterare",
        dt.date(2027, 1, 31),
        dt.date(2023, 11, 14),
        network="im-gruppen",
        organisation="Göteborgs Stad",
        project="Samverkan för bästa skola",
        indicators=("gy_diploma_4y_incl_im",),
        school_forms=("gymnasieskola",),
        analyses=("completion", "movement"),
        topics=("Fullföljda studier",),
        presented=(("im-gruppen", dt.date(2023, 11, 14), 1),),
    ),
    DemoItem(
        "Behörighet till gymnasiet – analys av årskurs 9",
        "En analys av hur andelen behöriga till yrkesprogram skiljer sig mellan skolor "
        "och vad skillnaderna i betyg och provresultat säger om likvärdigheten.",
        ItemKind.REPORT,
        "public",
        "samordnare",
        dt.date(2027, 8, 1),
        dt.date(2024, 9, 1),
        organisation="Göteborgsregionen",
        indicators=("gr9_eligible_vocational", "gr9_pass_all"),
        goals=("goal_grundskola",),
        school_forms=("grundskola",),
        analyses=("equity",),
    ),
)


def _pdf(title: str, text: str) -> bytes:
    document = Document(title=title, sections=[Section(title, [Paragraph(text)])])
    return render(document, Medium.PDF).content


def _presented(spec: DemoItem) -> list[AgendaItem]:
    found = []
    for code, held_on, number in spec.presented:
        agenda = AgendaItem.objects.filter(
            meeting__network__code=code, meeting__held_on=held_on, number=number
        ).first()
        if agenda is not None:
            found.append(agenda)
    return found


def _create(spec: DemoItem, region: Region, users: dict[str, User]) -> Item:
    network = Network.objects.filter(code=spec.network).first() if spec.network else None
    values = {
        "title": spec.title,
        "summary": spec.summary,
        "kind": spec.kind,
        "visibility": spec.visibility if network or spec.visibility != "network" else "regional",
        "region": region,
        "network": network,
        "project": spec.project,
        "authors": spec.authors,
        "organisation": spec.organisation,
        "published_on": spec.published_on,
        "owner": users.get(spec.owner),
        "review_on": spec.review_on,
        "school_forms": list(spec.school_forms),
        "analyses": list(spec.analyses),
        "links": [{"url": url, "title": ""} for url in spec.links],
    }
    many: dict[str, list[Any]] = {
        "success_factors": list(SuccessFactor.objects.filter(code__in=spec.factors)),
        "goals": list(Goal.objects.filter(code__in=spec.goals)),
        "indicators": list(Indicator.objects.filter(code__in=spec.indicators)),
        "topics": list(Topic.objects.filter(region=region, name__in=spec.topics)),
        "presented_at": _presented(spec),
    }
    files = (
        [NewFile("forskningssammanstallning.pdf", _pdf(spec.title, spec.pdf_text), spec.title)]
        if spec.pdf_text
        else []
    )
    return item_create(
        data=ItemData(values=values, many=many), by=users.get(spec.owner), files=files
    )


def knowledge_demo_ensure() -> int:
    """Create the demo bank in GR (once); returns the number of items created this time.

    Needs the catalogue, the demo users (``samordnare`` edits GR's bank) and the networks.
    """
    region = Region.objects.filter(code="gr").first()
    if region is None:
        return 0
    users = {u.username: u for u in User.objects.filter(username__in={"samordnare", "sekreterare"})}
    if "samordnare" in users:
        Editor.objects.get_or_create(user=users["samordnare"], region=region)
    for name in TOPICS:
        topic_add(region=region, name=name)
    created = 0
    for spec in ITEMS:
        if not Item.objects.filter(title=spec.title).exists():
            _create(spec, region, users)
            created += 1
    return created
