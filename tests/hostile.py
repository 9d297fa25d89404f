"""A corpus of hostile files, generated small: bombs, billion laughs, active PDFs, spoofs, cuts.

Every file is a few kilobytes on disk. ``corpus(folder)`` writes them all and returns
``{name: path}``; the file name's suffix is the type the file claims to be.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

BOMB_BYTES = 80 << 20
"""What a bomb member unpacks to: past every document limit, about 80 KB compressed (a ratio
near 1,000, far past the limit of 400). ``DOCX_LIKE_FINDING`` is the finding's file: 60 MB of
varied XML in about 200 KB, under the ratio limit, refused by the size of its XML part."""

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n<root>&lol9;</root>"
)
_OFFICE_MAIN = {
    "docx": "word/document.xml",
    "pptx": "ppt/presentation.xml",
    "xlsx": "xl/workbook.xml",
    "ods": "content.xml",
}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _bomb_member() -> bytes:
    return b"<?xml version='1.0'?><doc>" + b"a" * BOMB_BYTES + b"</doc>"


@functools.cache
def _deflated_bomb() -> tuple[bytes, int, int]:
    """The bomb member deflated once (raw DEFLATE), its CRC-32 and unpacked size."""
    data = _bomb_member()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def office_bomb(suffix: str) -> bytes:
    """An Office container whose main part unpacks to ``BOMB_BYTES``; the deflated member is
    made once and spliced into each container (as a real bomb's author would)."""
    packed, crc, size = _deflated_bomb()
    head = _zip({"[Content_Types].xml": _CONTENT_TYPES.encode()})
    with zipfile.ZipFile(io.BytesIO(head)) as archive:
        first = archive.infolist()[0]
    local_end = head.index(b"PK\x01\x02")  # local entries end where the directory starts
    name = _OFFICE_MAIN[suffix].encode()
    fields = (20, 0, 8, 0, 0x21, crc, len(packed), size, len(name), 0)
    local = struct.pack("<4s5HI2I2H", b"PK\x03\x04", *fields) + name + packed
    entries = [
        (
            first.filename.encode(),
            (
                20,
                0,
                8,
                0,
                0x21,
                first.CRC,
                first.compress_size,
                first.file_size,
                len(first.filename),
                0,
            ),
            0,
        ),
        (name, fields, local_end),
    ]
    directory = b"".join(
        struct.pack("<4s6HI2I5H2I", b"PK\x01\x02", 20, *f[:9], 0, 0, 0, 0, 0, offset) + n
        for n, f, offset in entries
    )
    start = local_end + len(local)
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 2, 2, len(directory), start, 0)
    return head[:local_end] + local + directory + end


def office_laughs(suffix: str) -> bytes:
    """An Office container whose main part is a billion-laughs XML document."""
    return _zip(
        {"[Content_Types].xml": _CONTENT_TYPES.encode(), _OFFICE_MAIN[suffix]: _LAUGHS.encode()}
    )


def pdf(text: str = "Protokoll", *, extra: str = "") -> bytes:
    """A one-page PDF with a text layer; ``extra`` is added to the catalogue dictionary."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {extra}>>".encode(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx_bytes() -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Protokoll från nätverksmöte")
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["personnummer", "läsår"])
    workbook.save(buffer)
    return buffer.getvalue()


def _parquet_bytes() -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table({"läsår": ["2024/25"] * 100}), buffer)
    return buffer.getvalue()


def corpus(folder: Path, *, suffixes: tuple[str, ...] | None = None) -> dict[str, Path]:
    """Write every hostile file into ``folder``; ``suffixes`` keeps those claiming these types."""
    docx_data, xlsx_data, pdf_bytes = docx_bytes(), xlsx_bytes(), pdf()
    files: dict[str, bytes] = {
        "bomb.docx": office_bomb("docx"),
        "bomb.pptx": office_bomb("pptx"),
        "bomb.xlsx": office_bomb("xlsx"),
        "bomb.ods": office_bomb("ods"),
        "laughs.docx": office_laughs("docx"),
        "laughs.pptx": office_laughs("pptx"),
        "laughs.xlsx": office_laughs("xlsx"),
        "laughs.ods": office_laughs("ods"),
        "javascript.pdf": pdf(extra="/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
        "escaped-javascript.pdf": pdf(extra="/OpenAction << /S /J#61vaScript /JS (x) >> "),
        "truncated.pdf": pdf_bytes[: len(pdf_bytes) // 2],
        "truncated.docx": docx_data[: len(docx_data) // 2],
        "truncated.xlsx": xlsx_data[: len(xlsx_data) // 2],
        "truncated.parquet": _parquet_bytes()[:-40],
        "spoofed-pdf.docx": pdf_bytes,
        "spoofed-html.pdf": b"<!DOCTYPE html><html><body><p>Protokoll</p></body></html>",
        "spoofed-docx.pdf": docx_data,
        "spoofed-xlsx.csv": xlsx_data,
        "spoofed-png.csv": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "spoofed-pdf.xlsx": pdf_bytes,
        "spoofed-csv.parquet": "personnummer;läsår\n".encode(),
        "spoofed-exe.txt": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
        "deep.json": ("[" * 200_000 + "]" * 200_000).encode(),
        "empty.docx": b"",
    }
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, data in files.items():
        if suffixes is None or Path(name).suffix in suffixes:
            path = folder / name
            path.write_bytes(data)
            written[name] = path
    return written


def _shared_strings_workbook(strings: int) -> bytes:
    """An XLSX whose shared-strings table holds ``strings`` different strings (a few MB
    compressed, hundreds of MB once a reader loads the table), with a sheet using one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
            '<Relationship Id="rId2" Target="sharedStrings.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
        )
        with archive.open("xl/sharedStrings.xml", "w") as member:
            member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            step = 100_000
            for start in range(0, strings, step):
                member.write(
                    "".join(
                        f"<si><t>sträng nummer {n:09d} av många</t></si>"
                        for n in range(start, min(start + step, strings))
                    ).encode()
                )
            member.write(b"</sst>")
    return buffer.getvalue()


def import_bombs(folder: Path) -> dict[str, Path]:
    """Import files that cost a reader far more than their size: a line of 200 MB, a million
    columns, JSON nested ten million deep, a workbook with ten million shared strings."""
    columns = 1_000_000
    files: dict[str, bytes] = {
        "huge-line.csv": b"personnummer;l\xc3\xa4s\xc3\xa5r\n" + b"1" * (200 << 20) + b"\n",
        "million-columns.csv": (
            ";".join(f"kolumn{n}" for n in range(columns)).encode()
            + b"\n"
            + (b"1;" * columns + b"\n") * 20
        ),
        "deep.json": b'{"persons": {"data": ' + b"[" * 10_000_000 + b"]" * 10_000_000 + b"}}",
        "shared-strings.xlsx": _shared_strings_workbook(6_000_000),
    }
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        written[name] = path
    return written
