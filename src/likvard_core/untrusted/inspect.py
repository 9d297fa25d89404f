"""What an uploaded file really is, and whether it stays within the limits, before parsing it.

Every check reads the file's bytes, never trusts its name or the sizes a header declares:
a ZIP member is decompressed (in chunks, up to the limit) to learn its real size, so a member
whose header lies is caught too. Nothing here parses XML, PDF objects or spreadsheet cells.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

_CHUNK = 1 << 20
_HEAD_BYTES = 8192


class FileKind(StrEnum):
    """A file's type as judged from its first bytes."""

    TEXT = "text"  # CSV, TXT, Markdown, JSON: anything without binary control bytes
    ZIP = "zip"  # XLSX, XLSM, ODS, DOCX, PPTX
    OLE = "ole"  # XLS (and old DOC/PPT, which we do not read)
    PDF = "pdf"
    PARQUET = "parquet"
    PNG = "png"
    JPEG = "jpeg"
    TIFF = "tiff"
    HTML = "html"
    BINARY = "binary"


class FileRefused(Exception):  # noqa: N818  (a refusal, not a programming error)
    """A file is not read: ``code`` names why (an issue code), ``detail`` adds a number or part.

    Neither ever holds the file's content, so both can be logged and shown.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Limits:
    """How much reading a file may cost.

    ``unpacked_bytes`` bounds the sum of a container's members once decompressed,
    ``xml_part_bytes`` any one XML part, and ``ratio`` each larger member's compression ratio
    (a zip bomb's is about 1,000);
    ``members`` the entries of a container, ``pages`` a PDF's pages, ``rows`` a text file's
    lines or a Parquet file's rows; ``seconds`` and ``memory_bytes`` the child process that
    parses the file (``run_limited``).
    """

    unpacked_bytes: int = 256 << 20
    xml_part_bytes: int = 256 << 20
    ratio: int = 400
    members: int = 5_000
    pages: int = 300
    rows: int = 5_000_000
    seconds: float = 20.0
    memory_bytes: int = 1 << 30


DOCUMENT_LIMITS = Limits(unpacked_bytes=64 << 20, xml_part_bytes=16 << 20, pages=200, seconds=20.0)
"""Notes and attachments, read while the user waits: small documents, a short wall clock."""

DATA_FILE_LIMITS = Limits(
    unpacked_bytes=2 << 30, xml_part_bytes=2 << 30, rows=10_000_000, seconds=1800.0
)
"""Import files, validated in the background: a year of a region's students fits easily."""

_RATIO_FLOOR = 1 << 20  # members smaller than this may compress at any ratio (empty styles)

_SUFFIX_KINDS: dict[str, frozenset[FileKind]] = {
    ".csv": frozenset({FileKind.TEXT}),
    ".tsv": frozenset({FileKind.TEXT}),
    ".txt": frozenset({FileKind.TEXT}),
    ".text": frozenset({FileKind.TEXT}),
    ".md": frozenset({FileKind.TEXT}),
    ".json": frozenset({FileKind.TEXT}),
    ".xlsx": frozenset({FileKind.ZIP}),
    ".xlsm": frozenset({FileKind.ZIP}),
    ".ods": frozenset({FileKind.ZIP}),
    ".docx": frozenset({FileKind.ZIP}),
    ".pptx": frozenset({FileKind.ZIP}),
    ".xls": frozenset({FileKind.OLE, FileKind.ZIP}),  # many ".xls" files are really XLSX
    ".pdf": frozenset({FileKind.PDF}),
    ".parquet": frozenset({FileKind.PARQUET}),
    ".png": frozenset({FileKind.PNG}),
    ".jpg": frozenset({FileKind.JPEG}),
    ".jpeg": frozenset({FileKind.JPEG}),
    ".tif": frozenset({FileKind.TIFF}),
    ".tiff": frozenset({FileKind.TIFF}),
}

_OFFICE_PARTS = {
    ".docx": "word/document.xml",
    ".pptx": "ppt/presentation.xml",
    ".xlsx": "xl/workbook.xml",
    ".xlsm": "xl/workbook.xml",
    ".ods": "content.xml",
}

_CONTROL = frozenset(range(9)) | frozenset(range(14, 32)) | {11, 12}
_CONTROL_SHARE = 0.01
_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<script)", re.IGNORECASE)
_DTD = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")
_PDF_ACTIONS = re.compile(rb"/(JavaScript|JS|Launch|RichMedia|EmbeddedFile|XFA)(?![A-Za-z0-9])")
_PDF_ESCAPED_NAME = re.compile(rb"/[A-Za-z0-9]*#[0-9A-Fa-f]{2}[A-Za-z0-9#]*")
_PDF_PAGES = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"PK\x03\x04", FileKind.ZIP),
    (b"PK\x05\x06", FileKind.ZIP),  # an empty archive
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", FileKind.OLE),
    (b"PAR1", FileKind.PARQUET),
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"II*\x00", FileKind.TIFF),
    (b"MM\x00*", FileKind.TIFF),
    (b"\xff\xfe", FileKind.TEXT),  # UTF-16 with a byte-order mark
    (b"\xfe\xff", FileKind.TEXT),
)


def sniff(head: bytes) -> FileKind:
    """The kind of file whose first bytes are ``head`` (8 KB is plenty)."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF-"):
        return FileKind.PDF
    body = head.removeprefix(b"\xef\xbb\xbf")
    if _HTML.match(body):
        return FileKind.HTML
    controls = sum(1 for byte in body if byte in _CONTROL)
    if b"\x00" in body or (body and controls / len(body) > _CONTROL_SHARE):
        return FileKind.BINARY
    return FileKind.TEXT


def declared_kind(name: str) -> frozenset[FileKind]:
    """The kinds a file named ``name`` may be (empty: a suffix we do not read)."""
    return _SUFFIX_KINDS.get(Path(name).suffix.casefold(), frozenset())


def inspect_file(
    path: Path,
    *,
    name: str | None = None,
    limits: Limits = Limits(),
    undeclared: frozenset[FileKind] = frozenset(),
) -> FileKind:
    """The file's kind after checking it against its declared type and ``limits``.

    ``name`` is the name the user gave the file (default: the path's); its suffix is the
    declared type; a name without a suffix we know accepts the kinds in ``undeclared``.
    Raises ``FileRefused``: ``file_empty``, ``unsupported_format`` (a suffix we do not read),
    ``file_type_mismatch`` (the bytes are another type), ``file_truncated``,
    ``file_unreadable``, ``archive_too_large``, ``archive_ratio``, ``archive_members``,
    ``xml_dtd``, ``pdf_active_content``, ``too_many_pages``, ``too_many_rows``.
    """
    name = name or path.name
    size = path.stat().st_size
    if size == 0:
        raise FileRefused("file_empty")
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    kind = sniff(head)
    allowed = declared_kind(name) or undeclared
    if not allowed:
        raise FileRefused("unsupported_format", Path(name).suffix.casefold() or "-")
    if kind not in allowed:
        raise FileRefused("file_type_mismatch", kind.value)
    if kind == FileKind.ZIP:
        _inspect_zip(path, _OFFICE_PARTS.get(Path(name).suffix.casefold()), limits)
    elif kind == FileKind.PDF:
        _inspect_pdf(path, limits)
    elif kind == FileKind.PARQUET:
        _inspect_parquet(path, size, limits)
    elif kind == FileKind.TEXT:
        _inspect_text(path, limits)
    return kind


def _inspect_zip(path: Path, required: str | None, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > limits.members:
                raise FileRefused("archive_members", str(limits.members))
            names = {member.filename for member in members}
            if required is not None and required not in names:
                raise FileRefused("file_type_mismatch", f"no {required}")
            if sum(m.file_size for m in members) > limits.unpacked_bytes:
                raise FileRefused("archive_too_large", _mb(limits.unpacked_bytes))
            budget = limits.unpacked_bytes
            for member in members:
                budget -= _inspect_member(archive, member, budget, limits)
    except FileRefused:
        raise
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as error:
        raise FileRefused("file_truncated", type(error).__name__) from None
    except (NotImplementedError, RuntimeError, ValueError, OSError) as error:
        raise FileRefused("file_unreadable", type(error).__name__) from None


def _inspect_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int, limits: Limits
) -> int:
    """Decompress ``member`` and return its real size; refuses DTDs, bombs and bad CRCs."""
    if member.file_size > _RATIO_FLOOR and member.file_size > limits.ratio * max(
        member.compress_size, 1
    ):
        raise FileRefused("archive_ratio", str(limits.ratio))
    is_xml = member.filename.casefold().endswith((".xml", ".rels", ".vml"))
    if is_xml and member.file_size > limits.xml_part_bytes:
        raise FileRefused("archive_too_large", _mb(limits.xml_part_bytes))
    if is_xml:
        budget = min(budget, limits.xml_part_bytes)
    unpacked = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            unpacked += len(chunk)
            if unpacked > budget:
                raise FileRefused("archive_too_large", _mb(min(budget, limits.unpacked_bytes)))
            if is_xml:
                window = tail + chunk
                if any(marker in window for marker in _DTD):
                    raise FileRefused("xml_dtd", member.filename[:100])
                tail = chunk[-16:]
    return unpacked


def _inspect_pdf(path: Path, limits: Limits) -> None:
    data = path.read_bytes()
    if b"%%EOF" not in data[-2048:]:
        raise FileRefused("file_truncated", "no %%EOF")
    if _PDF_ACTIONS.search(data) or any(
        _PDF_ACTIONS.fullmatch(_unescape_name(match.group())) or b"JavaScript" in match.group()
        for match in _PDF_ESCAPED_NAME.finditer(data)
    ):
        raise FileRefused("pdf_active_content")
    if len(_PDF_PAGES.findall(data)) > limits.pages:  # pages in object streams: see run_limited
        raise FileRefused("too_many_pages", str(limits.pages))


def _unescape_name(name: bytes) -> bytes:
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)


def _inspect_parquet(path: Path, size: int, limits: Limits) -> None:
    minimum = 12  # magic, footer length, magic
    with path.open("rb") as handle:
        if size < minimum:
            raise FileRefused("file_truncated", "Parquet")
        handle.seek(size - 8)
        footer_length, magic = struct.unpack("<I4s", handle.read(8))
    if magic != b"PAR1" or footer_length > size - minimum:
        raise FileRefused("file_truncated", "Parquet")
    import pyarrow as pa  # noqa: PLC0415  (only Parquet needs it)
    import pyarrow.parquet as pq  # noqa: PLC0415

    try:
        meta = pq.ParquetFile(path).metadata
    except (pa.ArrowException, OSError) as error:
        raise FileRefused("file_unreadable", type(error).__name__) from None
    if meta.num_rows > limits.rows:
        raise FileRefused("too_many_rows", str(limits.rows))
    unpacked = sum(
        meta.row_group(group).column(column).total_uncompressed_size
        for group in range(meta.num_row_groups)
        for column in range(meta.num_columns)
    )
    if unpacked > limits.unpacked_bytes:
        raise FileRefused("archive_too_large", _mb(limits.unpacked_bytes))


def _inspect_text(path: Path, limits: Limits) -> None:
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            lines += chunk.count(b"\n")
            if lines > limits.rows:
                raise FileRefused("too_many_rows", str(limits.rows))


def _mb(size: int) -> str:
    return f"{size >> 20} MB"
