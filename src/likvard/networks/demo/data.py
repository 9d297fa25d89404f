"""What the demo's networks hold: the networks, their generated members, the secretary's review
of the real notes, and the agendas of the meetings that are not in the notes.

The real notes (``shared/notes``) are imported unchanged except for what a secretary adds in
the import review: the meeting's date where the notes state none (``Datum:``, estimated from
what the notes say, see ``NotesFile``) and "Åtgärd:" lines that write out, as action items,
what the notes say someone is to do. The members are generated (their names are invented,
one per municipality and network); the names in the imported minutes are the notes' own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from likvard_core.terms import SchoolForm


@dataclass(frozen=True, slots=True)
class DemoNetwork:
    """A demo network: code, name, region code, description, the school forms its members
    represent, and which demo users are its secretary and a member."""

    code: str
    name: str
    region: str
    description: str
    school_forms: tuple[str, ...]
    secretary: str | None = "sekreterare"
    member: str | None = "medlem"


NETWORKS: tuple[DemoNetwork, ...] = (
    DemoNetwork(
        "utbildningschefsnatverket",
        "Utbildningschefsnätverket",
        "gr",
        "Medlemskommunernas utbildningschefer per skolform. Strategiskt forum som fattar "
        "gemensamma beslut, till exempel om tidsplanen för gymnasieantagningen, och öppnar "
        "varje års utbudsprocess med ett gemensamt samråd.",
        (SchoolForm.PRESCHOOL, SchoolForm.COMPULSORY, SchoolForm.UPPER_SECONDARY, SchoolForm.ADULT),
        member=None,
    ),
    DemoNetwork(
        "gymnasienatverket",
        "Gymnasienätverket",
        "gr",
        "Gymnasiecheferna i medlemskommunerna: elevrörelse och beroendekartor, antagna och "
        "inskrivna 15 oktober, planering och dimensionering, utbudet. IM-gruppen är en stående "
        "punkt.",
        (SchoolForm.UPPER_SECONDARY,),
    ),
    DemoNetwork(
        "kvalitetsnatverket",
        "Kvalitetsnätverket",
        "gr",
        "Kvalitets- och utvecklingsstrategerna i medlemskommunerna: systematiskt kvalitetsarbete, "
        "erfarenhetsutbyte och de regiongemensamma enkäterna.",
        (SchoolForm.PRESCHOOL, SchoolForm.COMPULSORY, SchoolForm.UPPER_SECONDARY),
    ),
    DemoNetwork(
        "im-gruppen",
        "IM-gruppen",
        "gr",
        "Rektorerna för introduktionsprogrammen. Gruppens anteckningar delas med "
        "Gymnasienätverket inför dess möten, där IM-gruppen är en stående punkt.",
        (SchoolForm.UPPER_SECONDARY,),
    ),
    DemoNetwork(
        "natverket-im-skaraborg",
        "Nätverket IM",
        "skaraborg",
        "Skaraborgs kommuners nätverk för introduktionsprogrammen, inom Måldokument Skaraborg.",
        (SchoolForm.UPPER_SECONDARY,),
        secretary=None,
        member=None,
    ),
)

# The demo users' organisations in the networks.
SECRETARY_ORGANISATION = "Göteborgsregionen"
MEMBER_MUNICIPALITY = "Mölndal"
# The secretary of Skaraborg's network (no demo login) and its organisation.
SKARABORG_SECRETARY = ("Karin Lindell", "Skaraborgs kommunalförbund")

FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kristina", "Emma", "Johanna", "Malin",
    "Helena", "Ulrika", "Camilla", "Sofia", "Åsa", "Marie", "Jenny", "Ida", "Lars", "Anders",
    "Johan", "Per", "Mikael", "Erik", "Peter", "Magnus", "Daniel", "Jonas", "Henrik", "Mats",
    "Stefan", "Björn", "Ola", "Tobias", "Pia", "Elin",
)  # fmt: skip
SURNAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Gustafsson", "Pettersson", "Jonsson", "Hansson", "Bengtsson", "Lindberg",
    "Lundgren", "Bergström", "Sandberg", "Holm", "Ek", "Wallin", "Engström", "Håkansson",
    "Lindholm", "Björk", "Forsberg", "Nyström", "Sundqvist", "Hedlund", "Åberg", "Lind",
)  # fmt: skip


def generated_name(network_code: str, municipality: str, seat: int = 0) -> str:
    """An invented Swedish name for a seat of ``municipality`` in a network (deterministic)."""
    digest = hashlib.sha256(f"{network_code}/{municipality}/{seat}".encode()).digest()
    first = FIRST_NAMES[int.from_bytes(digest[:4], "big") % len(FIRST_NAMES)]
    last = SURNAMES[int.from_bytes(digest[4:8], "big") % len(SURNAMES)]
    return f"{first} {last}"


# The municipalities whose members chair and vice-chair each network.
CHAIRS = {
    "utbildningschefsnatverket": ("Partille", "Stenungsund"),
    "gymnasienatverket": ("Kungsbacka", "Lerum"),
    "kvalitetsnatverket": ("Kungälv", "Ale"),
    "im-gruppen": ("Göteborg", "Alingsås"),
    "natverket-im-skaraborg": ("Skövde", "Lidköping"),
}


@dataclass(frozen=True, slots=True)
class Insertion:
    """Lines the secretary adds after the line containing ``after`` (``None``: after the
    heading's first line)."""

    after: str | None
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NotesFile:
    """A real notes file, the network it belongs to and the secretary's additions in review."""

    name: str
    network: str
    insertions: tuple[Insertion, ...] = ()
    scan: str | None = None
    """A scan of the same notes, attached to the meeting as its original (read by OCR)."""


NOTES: tuple[NotesFile, ...] = (
    NotesFile(
        "kvalitetsnatverket-2022-11-30.txt",
        "kvalitetsnatverket",
        (
            Insertion(
                "beställning kommer att göras.",
                (
                    "Åtgärd: Beställa talsyntes till 2023 års enkätundersökning. "
                    "Ansvarig: Enkätgruppen",
                ),
            ),
            Insertion(
                "skickas till nätverkssekreterare.",
                (
                    "Åtgärd: Anmäla klasser till uppföljningen av enkäten. Ansvarig: Ledamöterna. "
                    "Klart: 2023-01-31",
                ),
            ),
        ),
        scan="scanned/kvalitetsnatverket-2022-11-30-scan.pdf",
    ),
    NotesFile(
        # The timetable it endorses is dated 2023-01-16; Skolverket's conference is on 9 Feb.
        "utbildningschefsnatverket-2023-02.txt",
        "utbildningschefsnatverket",
        (
            Insertion(None, ("Datum: 2023-02-02",)),
            Insertion(
                "anpassning inför lagstiftning.",
                (
                    "Åtgärd: Ta fram ett underlag som beskriver gymnasiesamverkan och vad som "
                    "behöver klargöras och prioriteras, till aprilmötet. Ansvarig: Fredrik "
                    "Zeybrandt, GR. Klart: 2023-04-20",
                ),
            ),
            Insertion(
                "kommande möte i Utbildningschefs nätverket.",
                (
                    "Åtgärd: Sätta erfarenheterna från Framtidens vårdinformationsmiljö och "
                    "digitaliseringen av elevhälsan på dagordningen. Ansvarig: Fredrik Hellsten, "
                    "Mölndal",
                ),
            ),
        ),
    ),
    NotesFile(
        # "Den 1 nov meddelade Skolverket ..."; IM-gruppen meets on 14 November.
        "gymnasienatverket-2023-11.txt",
        "gymnasienatverket",
        (
            Insertion(None, ("Datum: 2023-11-08",)),
            Insertion(
                "mest funktionellt.",
                (
                    "Åtgärd: Dela IM-gruppens anteckningar med Gymnasienätverket inför varje "
                    "möte. Ansvarig: Maria Wolfhagen, Göteborg",
                ),
            ),
            Insertion(
                "pedagogiskt)",
                (
                    "Åtgärd: Sammanställa och kategorisera de tre huvudtemana till nästa möte. "
                    "Ansvarig: Patrik Hellberg, Kungsbacka. Klart: 2024-01-24",
                ),
            ),
        ),
    ),
    NotesFile(
        # After the November meeting (its themes are followed up), before February's capacity
        # survey, while the schools' open houses are on.
        "gymnasienatverket-utbud-2025-ocr.txt",
        "gymnasienatverket",
        (
            Insertion(None, ("Datum: 2024-01-24",)),
            Insertion(
                "med statistik om elevrörelsen.",
                (
                    "Åtgärd: Ta fram statistik om hur IM-eleverna rör sig över åren till "
                    "IM-gruppens vårmöte. Ansvarig: Niklas Svensson, GR",
                ),
            ),
            Insertion(
                "i februari.",
                (
                    "Åtgärd: Genomföra kapacitetsundersökningen med varje medlemskommun. "
                    "Ansvarig: Niklas Svensson, GR. Klart: 2024-02-29",
                ),
            ),
            Insertion(
                "lyfta blicken.",
                (
                    "Åtgärd: Ta fram en uppdragsbeskrivning för arbetet med de gemensamma "
                    "frågorna. Ansvarig: Arbetsutskottet",
                ),
            ),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class DemoItem:
    """An agenda item written by the secretary: title, kind, notes, decisions, action items
    (text, owner, organisation), whether it is a standing item."""

    title: str
    body: str = ""
    kind: str = "report"
    standing: bool = False
    decisions: tuple[str, ...] = ()
    actions: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class DemoMeeting:
    """A meeting the demo writes through the services: on a date (or ``days_ahead`` of the
    demo's day for the planned next meeting), at a place, with its items."""

    network: str
    place: str
    items: tuple[DemoItem, ...]
    held_on: dt.date | None = None
    days_ahead: int = 0
    digital: bool = False
    published: bool = False
    attendance: bool = False


# IM-gruppen's meeting of 14 November 2023, as Gymnasienätverket's notes describe it.
IM_MEETING = DemoMeeting(
    network="im-gruppen",
    place="GR, Göteborg",
    held_on=dt.date(2023, 11, 14),
    published=True,
    attendance=True,
    items=(
        DemoItem(
            "Slutredovisning: Göteborgs UBF i Samverkan för bästa skola",
            "Göteborgs UBF redovisade sin medverkan i Samverkan för bästa skola, ihop med "
            "Skolverket. Fem representanter från Skolverket deltog och flera av IM-gruppens och "
            "Gymnasienätverkets frågeställningar om introduktionsprogrammen behandlades. "
            "Gymnasienätverket var inbjudet.",
        ),
        DemoItem(
            "Närvaro och representation i gruppen",
            "Rektorerna deltar i gruppen men kan tillfälligt ersättas av biträdande rektor. "
            "Om mötena hålls på plats eller digitalt avgörs utifrån vad som blir mest "
            "funktionellt.",
            kind="decision",
            decisions=(
                "IM-gruppen beslutade att rektorerna deltar och att biträdande rektor kan "
                "ersätta tillfälligt.",
            ),
        ),
        DemoItem(
            "Planering inför våren",
            "Arbetsutskottet tar fram en planering utifrån gruppens önskemål och behov: "
            "uppdraget kring IM, huvudmannens plan och hur eleverna rör sig över åren.",
            actions=(("Ta fram en planering för vårens möten", "Arbetsutskottet", ""),),
        ),
    ),
)

PLANNED: tuple[DemoMeeting, ...] = (
    DemoMeeting(
        network="gymnasienatverket",
        place="GR, Göteborg",
        days_ahead=14,
        items=(
            DemoItem("Ordförande inleder"),
            DemoItem("IM-gruppen (stående punkt)", standing=True),
            DemoItem(
                "Aktuellt regional samverkan: elevrörelse och beroendekartor",
                "Elevernas rörelser mellan hemkommun och skolkommun för det senaste "
                "antagningsåret, och antagna jämfört med inskrivna 15 oktober.",
            ),
            DemoItem("Kapacitetsundersökningen och utbudet", kind="discussion"),
            DemoItem("Övriga frågor"),
        ),
    ),
    DemoMeeting(
        network="utbildningschefsnatverket",
        place="GR, Göteborg",
        days_ahead=21,
        items=(
            DemoItem("Förslag till tidsplan för antagningen till gymnasieskolan", kind="decision"),
            DemoItem("Aktuellt från Vuxenutbildningssamverkan"),
            DemoItem("Ventilen", standing=True),
        ),
    ),
    DemoMeeting(
        network="kvalitetsnatverket",
        place="",
        digital=True,
        days_ahead=10,
        items=(
            DemoItem("Regiongemensamma enkäter", standing=True),
            DemoItem(
                "Analysunderlag till kvalitetsdialogerna",
                "Erfarenheter av Skolverkets analysunderlag och hur det används i det lokala "
                "kvalitetsarbetet.",
                kind="discussion",
            ),
        ),
    ),
    DemoMeeting(
        network="im-gruppen",
        place="GR, Göteborg",
        days_ahead=17,
        items=(
            DemoItem("Uppdraget kring IM och huvudmannens plan"),
            DemoItem("Elevrörelser på introduktionsprogrammen över åren"),
        ),
    ),
    DemoMeeting(
        network="natverket-im-skaraborg",
        place="Skövde",
        days_ahead=24,
        items=(
            DemoItem("Presentationsrunda och nätverkets uppdrag"),
            DemoItem(
                "Introduktionsprogrammen i Skaraborg",
                "Hur många elever som läser på introduktionsprogram i varje kommun och hur de "
                "går vidare.",
                kind="discussion",
            ),
            DemoItem("Övriga frågor"),
        ),
    ),
)
