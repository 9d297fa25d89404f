"""How many lines a text wraps to in a workbook's cell, measured in the workbook's font.

A workbook names Calibri 11 pt; Excel draws it, and LibreOffice draws Carlito, a font with the
same advance widths (LibreOffice ships it, Debian installs it beside LibreOffice). Counting every
character as wide as a digit (the unit of a column's width) made Swedish headers a line too tall
in both: their letters are 0.91 of a digit on average, bold 0.93. Here a text is measured with
the font's own widths and wrapped as the programs wrap it, at spaces and after hyphens, so a
row set to that many lines has neither an empty line nor a cut one.

The widths are Carlito's advance widths (regular and bold, in units of 2048 to the em), read
with fontTools from Debian's fonts-crosextra-carlito 20220224 (SIL Open Font License)."""

from __future__ import annotations

CHARACTERS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz"
    "{|}~åäöÅÄÖéÉüÜ–—…·’“”«»°±×≤≥§€½"
)
REGULAR = (
    463, 667, 821, 1020, 1038, 1464, 1397, 452, 621, 621, 1020, 1020, 511, 627, 517, 791, 1038,
    1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 548, 548, 1020, 1020, 1020, 949, 1831,
    1185, 1114, 1092, 1260, 1000, 941, 1292, 1276, 516, 653, 1064, 861, 1751, 1322, 1356, 1058,
    1378, 1112, 941, 998, 1314, 1162, 1822, 1063, 998, 959, 628, 791, 628, 1020, 1020, 596, 981,
    1076, 866, 1076, 1019, 625, 964, 1076, 470, 490, 931, 470, 1636, 1076, 1080, 1076, 1076, 714,
    801, 686, 1076, 925, 1464, 887, 927, 809, 644, 943, 644, 1020, 981, 981, 1080, 1185, 1185,
    1356, 1019, 1000, 1076, 1314, 1020, 1854, 1414, 517, 511, 857, 857, 1049, 1049, 694, 1020,
    1020, 1020, 1020, 1020, 1038, 1375,
)  # fmt: skip
BOLD = (
    463, 667, 898, 1020, 1038, 1493, 1443, 478, 638, 638, 1020, 1020, 528, 627, 547, 880, 1038,
    1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 565, 565, 1020, 1020, 1020, 949, 1840,
    1241, 1148, 1084, 1291, 999, 940, 1305, 1292, 546, 678, 1120, 866, 1790, 1349, 1385, 1090,
    1405, 1153, 968, 1014, 1337, 1211, 1856, 1128, 1064, 979, 665, 880, 665, 1020, 1020, 615, 1011,
    1099, 857, 1099, 1031, 648, 971, 1099, 503, 523, 983, 503, 1666, 1099, 1101, 1099, 1099, 728,
    817, 710, 1099, 969, 1526, 941, 970, 814, 704, 973, 704, 1020, 1011, 1011, 1101, 1241, 1241,
    1385, 1031, 999, 1099, 1337, 1020, 1854, 1457, 548, 528, 891, 891, 1103, 1103, 701, 1020, 1020,
    1020, 1020, 1020, 1038, 1415,
)  # fmt: skip
UNKNOWN = 1856
"""A character not in the table is counted as wide as the widest one (a line too many at worst,
never a line cut)."""
UNITS_PER_EM = 2048
DIGIT_PX = 7
"""Pixels of a column's width unit: Calibri 11's digit as Excel draws it at 96 dots per inch."""
PX_PER_EM = DIGIT_PX * UNITS_PER_EM / 1038
"""The em at which a digit (1038 units) is ``DIGIT_PX`` wide: a column's width counts digits,
and both programs draw a text in proportion to them (LibreOffice's digit is 7.43 px, its
columns as much wider)."""
CELL_PAD_PX = 5
"""Pixels of a cell's width that its text does not use (a margin each side and the grid line)."""

_WIDTHS = {
    False: dict(zip(CHARACTERS, REGULAR, strict=True)),
    True: dict(zip(CHARACTERS, BOLD, strict=True)),
}


def text_px(text: str, *, bold: bool = False) -> float:
    """``text``'s width in pixels, in Calibri 11 pt (bold with ``bold``)."""
    widths = _WIDTHS[bold]
    return sum(widths.get(c, UNKNOWN) for c in text) * PX_PER_EM / UNITS_PER_EM


def _pieces(word: str) -> list[str]:
    """``word`` cut where a line may break inside it: after each hyphen ("100-66-33-0")."""
    pieces, start = [], 0
    for at, character in enumerate(word):
        if character in "-–" and 0 < at < len(word) - 1:
            pieces.append(word[start : at + 1])
            start = at + 1
    return [*pieces, word[start:]]


def lines(text: str, column_width: float, *, bold: bool = False) -> int:
    """Lines ``text`` takes in a cell ``column_width`` wide (openpyxl's width, in characters),
    wrapped at spaces and after hyphens, a word too long for the cell broken anywhere."""
    room = max(DIGIT_PX * column_width - CELL_PAD_PX, 1.0)
    space = text_px(" ", bold=bold)
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        line = 0.0
        for word in paragraph.split():
            for index, piece in enumerate(_pieces(word)):
                size = text_px(piece, bold=bold)
                gap = space if index == 0 and line else 0.0
                if line and line + gap + size > room:
                    count, line, gap = count + 1, 0.0, 0.0
                while size > room:  # broken anywhere: a line full, the rest on the next
                    count += 1
                    size -= room
                line += gap + size
    return count
