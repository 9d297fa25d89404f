"""Why an uploaded notes file or attachment was not read, as a message for the user."""

from __future__ import annotations

from django.utils.translation import gettext as _

from likvard_core.untrusted import FileRefused


def refusal_message(refused: FileRefused) -> str:
    """A Swedish (active language) sentence for ``refused``; never holds the file's content."""
    messages = {
        "file_empty": _("The file is empty."),
        "unsupported_format": _("Files of this type cannot be read here."),
        "file_type_mismatch": _(
            "The file's content does not match its name: it is not the type its extension says."
        ),
        "file_truncated": _("The file is incomplete or damaged (truncated)."),
        "file_unreadable": _("The file could not be read; it may be damaged."),
        "archive_too_large": _(
            "The file unpacks to more than %(limit)s; it is refused as a possible zip bomb."
        )
        % {"limit": refused.detail},
        "archive_ratio": _(
            "The file is compressed suspiciously hard; it is refused as a zip bomb."
        ),
        "archive_members": _("The file holds too many parts."),
        "xml_dtd": _("The file holds XML with a document type definition, which is not allowed."),
        "pdf_active_content": _(
            "The PDF holds JavaScript, embedded files or launch actions and is refused."
        ),
        "too_many_pages": _("The file has more than %(limit)s pages.") % {"limit": refused.detail},
        "page_too_large": _("A page of the file is larger than A2."),
        "too_many_rows": _("The file has more than %(limit)s rows.") % {"limit": refused.detail},
        "time_limit": _("Reading the file took too long; it was stopped. Try a smaller file."),
        "memory_limit": _("Reading the file needed too much memory; it was stopped."),
    }
    return messages.get(refused.code, messages["file_unreadable"])
