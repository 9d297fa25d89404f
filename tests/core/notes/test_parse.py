"""The four real notes parse into the structure their secretaries wrote (read by hand)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from likvard_core.notes.models import AttendanceMode, ParsedNotes
from likvard_core.notes.parse import find_links, parse_date, parse_notes
from likvard_core.notes.repair import repair_text

pytestmark = pytest.mark.realdata

# (name, municipality or organisation, roles) in list order.
GYMNASIE_PRESENT_2025 = [
    ("Patrik Hellberg", "Kungsbacka", ("ordförande",)),
    ("Amela Filipovic", "Kungälv", ()),
    ("Camilla Ahlin", "Härryda", ()),
    ("Cindia Escalante Mattsson", "Kungsbacka", ()),
    ("Ellen Lindqvist", "Mölndal", ()),
    ("Helene Petersson", "Ale", ()),
    ("Göran Careborg", "Lerum", ()),
    ("Jan Tinnberg", "Göteborg", ()),
    ("Maria Wolfhagen", "Göteborg", ()),
    ("Niclas Brattefors", "Stenungsund", ()),
    ("Lena Almqvist", "Partille", ()),
    ("Linda Andersson", "Alingsås", ()),
    ("Sarah Males", "Göteborg", ()),
    ("Stefan Carmesund", "Öckerö", ()),
    ("Ulrika Rosengren", "Skolinspektionen", ("föredragande",)),
    ("Lena Sjöstrand", "GR", ("föredragande",)),
    ("Niklas Svensson", "GR", ("samordnare",)),
]
GYMNASIE_ABSENT_2025 = [
    ("Teres Linchausen", "Lilla Edet", ()),
    ("Thomas Sjögren Amcoff", "Tjörn", ()),
]
GYMNASIE_PRESENT_2023 = [
    ("Patrik Hellberg", "Kungsbacka", ("ordförande",)),
    ("Amela Filipovic", "Kungälv", ()),
    ("Cindia Escalante Mattsson", "Kungsbacka", ()),
    ("Göran Careborg", "Lerum", ()),
    ("Teres Linchausen", "Lilla Edet", ()),
    ("Jan Tinnberg", "Göteborg", ()),
    ("Maria Wolfhagen", "Göteborg", ()),
    ("Sarah Males", "Göteborg", ()),
    ("Lena Almqvist", "Partille", ()),
    ("Linda Andersson", "Alingsås", ()),
    ("Stefan Carmesund", "Öckerö", ()),
    ("Niklas Svensson", "GR", ("samordnare",)),
]
GYMNASIE_ABSENT_2023 = [
    ("Helene Petersson", "Ale", ()),
    ("Camilla Ahlin", "Härryda", ()),
    ("Ellen Lindqvist", "Mölndal", ()),
    ("Niclas Brattefors", "Stenungsund", ()),
    ("Thomas Sjögren Amcoff", "Tjörn", ()),
]
UTBILDNINGSCHEF_PRESENT = [
    ("Charlotte Johansson", "Partille", ("ordförande",)),
    ("Elisabeth Andreasson", "Stenungsund", ("vice ordförande",)),
    ("Åsa Ericson", "Ale", ()),
    ("Johan Olofson", "Göteborg", ()),
    ("Annika Samuelsson Lovén", "Göteborg", ()),
    ("Maria Andersson", "Göteborg", ()),
    ("Helena Sjöberg", "Göteborg", ()),
    ("Tomas Berndtsson", "Göteborg", ()),
    ("Päivi Malmsten", "Härryda", ()),
    ("Julia Tryggvadóttir Tollesson", "Kungsbacka", ()),
    ("Patrik Hellberg", "Kungsbacka", ()),
    ("Ann Blom", "Lerum", ()),
    ("Fredrik Hellsten", "Mölndal", ()),
    ("Sofia Grebner", "Mölndal", ()),
    ("Lena Eriksson", "Tjörn", ()),
    ("Katarina Lindgren", "Öckerö", ()),
    ("Fredrik Zeybrandt", "GR", ("utbildningschef",)),
    ("Theresa Björnström", "GR", ("sekreterare",)),
]
UTBILDNINGSCHEF_ABSENT = [
    ("Helena Balte", "Alingsås", ()),
    ("Lars Svensson", "Alingsås", ()),
    ("Andreas Lökholt", "Göteborg", ()),
    ("Dennis Reinhold", "Kungälv", ()),
    ("Håkan Sundberg", "Lilla Edet", ()),
]
KVALITET_PRESENT = [
    ("Lena Eriksson", "Tjörn", ("ordförande",)),
    ("Maggan Melander", "Ale", ()),
    ("Marika Tollesson", "Ale", ()),
    ("Isak Bjärmark", "Alingsås", ()),
    ("Elin Köpman", "Göteborg", ()),
    ("Jan Tinnberg", "Göteborg", ()),
    ("Wenche Pålsson", "Göteborg", ()),
    ("Ann Nilsson Mäki", "Härryda", ()),
    ("Magnus Fogelblad", "Kungsbacka", ()),
    ("Andreas Mårtensson", "Kungsbacka", ()),
    ("Niklas Delander", "Kungälv", ()),
    ("Anna Karlsson", "Mölndal", ()),
    ("Nina Silfverblad", "Mölndal", ()),
    ("Marika Abrahamsson", "Partille", ()),
    ("Jonas Hassling", "Partille", ()),
    ("Rebecka Hellman", "Stenungsund", ()),
    ("Dan Christoffersson", "Tjörn", ()),
    ("Malin Fogelström", "Öckerö", ()),
    ("Jenny Sjöstrand", "GR", ("sekreterare",)),
    ("Anna Österlund", "Skolverket", ()),
]
KVALITET_ABSENT = [
    ("Elixander Chamoun", "Alingsås", ()),
    ("Anders Samuelsson", "Göteborg", ()),
    ("Jonas Österberg", "Göteborg", ()),
    ("Christian Jerhov", "Lerum", ()),
    ("Jenny Gustavsson", "Lerum", ()),
    ("Niklas Svensson", "Mölndal", ()),
]


def _people(notes: ParsedNotes, *, present: bool) -> list[tuple[str, str | None, tuple[str, ...]]]:
    listed = notes.present if present else notes.absent
    return [(a.name, a.municipality or a.organisation, a.roles) for a in listed]


def _items(notes: ParsedNotes) -> list[tuple[int, tuple[str, ...]]]:
    return [(item.number, item.presenters) for item in notes.items]


@pytest.fixture(scope="module")
def ocr_notes(notes_dir: Path) -> ParsedNotes:
    raw = (notes_dir / "gymnasienatverket-utbud-2025-ocr.txt").read_text(encoding="utf-8")
    return parse_notes(repair_text(raw).text)


def _read(notes_dir: Path, name: str) -> ParsedNotes:
    return parse_notes((notes_dir / name).read_text(encoding="utf-8"))


def test_gymnasienatverket_ocr_attendance_from_two_columns(ocr_notes):
    assert ocr_notes.network == "Gymnasienätverket"
    assert ocr_notes.meeting_date is None  # undated in the notes
    assert _people(ocr_notes, present=True) == GYMNASIE_PRESENT_2025
    assert _people(ocr_notes, present=False) == GYMNASIE_ABSENT_2025
    organisations = {a.name: a.organisation for a in ocr_notes.attendees}
    assert organisations["Jan Tinnberg"] == "Göteborg, område Skånegatan"
    assert organisations["Sarah Males"] == "Göteborg, område Lindholmen"


def test_gymnasienatverket_ocr_items_and_slides(ocr_notes):
    assert _items(ocr_notes) == [
        (1, ("Patrik Hellberg",)),
        (2, ("Ulrika Rosengren",)),
        (3, ("Niklas Svensson",)),
        (4, ("Patrik Hellberg",)),
        (5, ("Lena Sjöstrand",)),
    ]
    titles = [item.title for item in ocr_notes.items]
    assert titles[1] == "Tematisk granskning - rektors arbete med rättvisande och likvärdiga betyg"
    assert titles[3] == "Gemensamma frågor att driva i Gymnasienätverket"
    assert titles[4] == "Utvärdering Gymnasiedagarna och Future Skills"
    assert ocr_notes.item(2) is not None
    assert ocr_notes.item(2).presenter_organisation == "Skolinspektionen"
    assert [(m.item_number, m.line) for m in ocr_notes.slide_mentions] == [(2, 80), (3, 99)]
    assert ocr_notes.decisions == ()


def test_gymnasienatverket_2023(notes_dir):
    notes = _read(notes_dir, "gymnasienatverket-2023-11.txt")
    assert notes.network == "Gymnasienätverket"
    assert notes.meeting_date is None  # only "early November" can be inferred, not stated
    assert _people(notes, present=True) == GYMNASIE_PRESENT_2023
    assert _people(notes, present=False) == GYMNASIE_ABSENT_2023
    assert _items(notes) == [
        (1, ("Patrik Hellberg",)),
        (2, ("Niklas Svensson",)),
        (3, ()),
        (4, ("Niklas Svensson",)),
        (5, ()),
    ]
    assert notes.item(4) is not None
    assert notes.item(4).title == "Nytt nationellt kvalitetssystem"
    assert [(m.item_number, m.line) for m in notes.slide_mentions] == [(2, 89), (2, 110), (4, 158)]


def test_utbildningschefsnatverket(notes_dir):
    notes = _read(notes_dir, "utbildningschefsnatverket-2023-02.txt")
    assert notes.network == "Utbildningschefsnätverket"
    assert notes.meeting_date is None  # 2023-01-16 dates a timetable, not the meeting
    assert _people(notes, present=True) == UTBILDNINGSCHEF_PRESENT
    assert _people(notes, present=False) == UTBILDNINGSCHEF_ABSENT
    charlotte = notes.present[0]
    assert charlotte.details == ("för & grund, gymn & vux",)
    assert _items(notes) == [
        (1, ()),
        (2, ()),
        (3, ("Maria Andersson",)),
        (4, ("Marie Egerstad",)),
        (5, ("Anna Brodin", "Fredrik Zeybrandt", "Åke Ingerman")),
        (6, ("Fredrik Zeybrandt",)),
        (7, ("Sabina Svahn",)),
        (8, ("Fredrik Zeybrandt",)),
        (9, ("Ulrika Sjövall",)),
        (10, ("John Nelander", "Sofia Knüppel")),
        (11, ("Åsa Ericson",)),
    ]
    decisions = [(d.item_number, d.line) for d in notes.decisions]
    assert decisions == [(1, 15), (2, 19), (3, 25)]
    assert "beslöt enas om att ställa sig bakom avtal" in notes.decisions[0].text
    assert "daterat 2023-01-16" in notes.decisions[1].text
    assert "utsåg Fredrik Hellsten som representant" in notes.decisions[2].text
    assert [m.item_number for m in notes.slide_mentions] == [4, 5, 7, 9, 10]


def test_kvalitetsnatverket(notes_dir):
    notes = _read(notes_dir, "kvalitetsnatverket-2022-11-30.txt")
    assert notes.network == "Kvalitetsnätverket"
    assert notes.meeting_date == dt.date(2022, 11, 30)
    assert notes.attendance_mode == AttendanceMode.ON_SITE
    assert _people(notes, present=True) == KVALITET_PRESENT
    assert _people(notes, present=False) == KVALITET_ABSENT
    guest = notes.present[-1]
    assert (guest.name, guest.item_number) == ("Anna Österlund", 1)
    assert _items(notes) == [(1, ()), (2, ("Anna Österlund",)), (3, ()), (4, ())]
    assert notes.item(3) is not None
    assert notes.item(3).title.startswith("Gemensam diskussion/erfarenhetsutbyte")
    assert [(d.item_number, d.line) for d in notes.decisions] == [(4, 187)]
    assert [(m.item_number, m.line) for m in notes.slide_mentions] == [(2, 79)]
    assert notes.links == (
        "https://www.skolverket.se/skolutveckling/kvalitetsdialoger",
        "https://www.skolverket.se/skolutveckling/nationellt-kvalitetssystem",
    )


def test_parse_date_forms():
    assert parse_date("Anteckningar 221130") == dt.date(2022, 11, 30)
    assert parse_date("Möte 2023-02-09 kl 9") == dt.date(2023, 2, 9)
    assert parse_date("den 9 februari 2023") == dt.date(2023, 2, 9)
    assert parse_date("Anteckningar 23-09-27") == dt.date(2023, 9, 27)
    assert parse_date("punkt 3 och 4") is None
    assert parse_date("991399") is None


def test_general_minutes_layout():
    text = "\n".join(
        [
            "Minnesanteckningar Kvalitetsnätverket",
            "Datum: 2024-03-05",
            "Plats: Teams",
            "",
            "Närvarande digitalt:",
            "Eva Ek\tLerum (ordförande)",
            "Per Al, GR, sekreterare",
            "",
            "Förhinder:",
            "Ola Berg, Skövde",
            "",
            "1. Enkäter",
            "Beslut: nätverket beslutar att använda samma index. Se www.gr.se/enkat.",
            "2. Övrigt",
            "Presentationen bifogas.",
        ]
    )
    notes = parse_notes(text)
    assert notes.network == "Kvalitetsnätverket"
    assert notes.meeting_date == dt.date(2024, 3, 5)
    assert notes.place == "Teams"
    assert notes.attendance_mode == AttendanceMode.DIGITAL
    assert [(a.name, a.organisation, a.roles, a.present) for a in notes.attendees] == [
        ("Eva Ek", "Lerum", ("ordförande",), True),
        ("Per Al", "GR", ("sekreterare",), True),
        ("Ola Berg", "Skövde", (), False),
    ]
    assert [(d.item_number, d.line) for d in notes.decisions] == [(1, 13)]
    assert [m.item_number for m in notes.slide_mentions] == [2]
    assert notes.links == ("www.gr.se/enkat",)


def test_find_links_strips_brackets_and_punctuation():
    assert find_links("<https://a.se/x>, se https://b.se/y. och https://a.se/x") == (
        "https://a.se/x",
        "https://b.se/y",
    )


def test_hard_wrapped_text_reads_as_paragraphs(notes_dir: Path):
    """PDF text with a blank line after every printed line: one paragraph per paragraph."""
    text = repair_text((notes_dir / "gymnasienatverket-2023-11.txt").read_text()).text
    item = parse_notes(text).item(2)
    assert item is not None
    paragraphs = item.body.split("\n\n")
    assert paragraphs[0].startswith("Information om elevrörelse i regionen genom")
    assert paragraphs[0].endswith("via verktyget Indrananalys.")
    assert paragraphs[1] == "Bildspel med statistiken bifogas anteckningarna."
    assert len(paragraphs) == 5


def test_word_text_keeps_one_paragraph_a_line(notes_dir: Path):
    text = (notes_dir / "utbildningschefsnatverket-2023-02.txt").read_text()
    item = parse_notes(repair_text(text).text).item(4)
    assert item is not None
    assert item.body.split("\n\n")[0].startswith("Marie Egerstad gav en återkoppling")
    assert len(item.body.split("\n\n")) == 4


def test_a_long_line_added_to_wrapped_text_keeps_the_paragraphs(notes_dir: Path):
    text = repair_text((notes_dir / "gymnasienatverket-2023-11.txt").read_text()).text
    added = "Åtgärd: " + "Sammanställa temana till nästa möte och skicka dem till ledamöterna. " * 2
    text = text.replace("verktyget Indrananalys.", f"verktyget Indrananalys.\n\n{added}")
    item = parse_notes(text).item(2)
    assert item is not None
    paragraphs = item.body.split("\n\n")
    assert paragraphs[0].endswith("via verktyget Indrananalys.")
    assert paragraphs[1] == added.strip()
