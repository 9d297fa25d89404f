"""The networks' work: networks, members, meetings, agendas, decisions, action items, notes.

A meeting's minutes go draft → checked (justerade by the chair and the appointed checker) →
published to the network's members. An agenda item may hold a frozen analysis snapshot: the
released figures and chart spec as they were shown, with the data version they came from.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from likvard.organisations.models import Municipality, Region
from likvard_core.terms import SchoolForm

SCHOOL_FORM_LABELS = {
    SchoolForm.PRESCHOOL: _("Preschool"),
    SchoolForm.PRESCHOOL_CLASS: _("Preschool class"),
    SchoolForm.COMPULSORY: _("Compulsory school"),
    SchoolForm.COMPULSORY_ADAPTED: _("Adapted compulsory school"),
    SchoolForm.UPPER_SECONDARY: _("Upper secondary school"),
    SchoolForm.UPPER_SECONDARY_ADAPTED: _("Adapted upper secondary school"),
    SchoolForm.ADULT: _("Municipal adult education (komvux)"),
    SchoolForm.SFI: _("Swedish for immigrants (sfi)"),
}


class Network(models.Model):
    """A regional network (Gymnasienätverket ...) or a sub-group of one (its working committee)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="networks")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="subgroups"
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    SECRETARY = "secretary", _("Secretary")
    COORDINATOR = "coordinator", _("Coordinator")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """A person in a network for a period: a user, or a named person with their organisation."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_memberships",
    )
    person_name = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(
        max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    school_forms = models.JSONField(default=list, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    substitute_for = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="substitutes"
    )

    class Meta:
        ordering = ["network", "person_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.person_name} ({self.network})"

    @property
    def school_form_names(self) -> list[str]:
        """The school forms the member represents, by name ("Gymnasieskola")."""
        labels = {str(code): label for code, label in SCHOOL_FORM_LABELS.items()}
        return [str(labels.get(code, code)) for code in self.school_forms]

    def clean(self) -> None:
        """A membership cannot end before it begins."""
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("A membership cannot end before it begins.")})


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CHECKED = "checked", _("Checked")
    PUBLISHED = "published", _("Published")


class Meeting(models.Model):
    """One meeting of a network and its minutes, written by the secretary."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=200, blank=True)
    place = models.CharField(max_length=200, blank=True)
    digital = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    secretary_name = models.CharField(max_length=200, blank=True)
    chair_checked_at = models.DateTimeField(null=True, blank=True)
    checker_checked_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    links = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.network} {self.held_on or ''}".strip()

    @property
    def is_published(self) -> bool:
        """True once the minutes are published to the members."""
        return self.status == MeetingStatus.PUBLISHED


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    SUBSTITUTE = "substitute", _("Substitute")
    GUEST = "guest", _("Guest presenter")


class Attendance(models.Model):
    """Whether a person attended a meeting, for which organisation and in which role."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person_name = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.person_name}: {self.get_status_display()}"

    @property
    def label(self) -> str:
        """The person as the minutes name them: 'Name (role) – status', the status only when
        not present and the role without the words the status already says (an imported
        presenter, role 'föredragande', reads 'Name – Gäst/föredragande', not both)."""
        status = "" if self.status == AttendanceStatus.PRESENT else str(self.get_status_display())
        said = {word.strip().casefold() for word in status.split("/")}
        roles = [r.strip() for r in self.role.split(",") if r.strip().casefold() not in said]
        text = f"{self.person_name} ({', '.join(roles)})" if roles else self.person_name
        return f"{text} – {status}" if status else text


class ItemKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    REPORT = "report", _("Report")
    DISCUSSION = "discussion", _("Discussion")


class AgendaItem(models.Model):
    """A numbered agenda item with its presenter and notes; standing items carry over."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=ItemKind.choices, default=ItemKind.REPORT)
    presenter = models.CharField(max_length=300, blank=True)
    presenter_organisation = models.CharField(max_length=200, blank=True)
    standing = models.BooleanField(default=False)
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="item_number_unique")
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Decision(models.Model):
    """A decision taken under an item; a ``Forwarding`` puts it on another network's agenda."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    decided_by = models.CharField(
        max_length=200, blank=True, help_text=_("Who decided: the network or a group of it.")
    )
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ActionItem(models.Model):
    """Something a person or organisation is to do; carried from meeting to meeting until done.

    ``owner_name`` is empty when imported notes name nobody responsible ("Åtgärd: ...").
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="action_items")
    text = models.TextField()
    owner_name = models.CharField(max_length=200, blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    carried_to = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_action_items",
    )

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.text[:80]


class AttachmentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    PPTX = "pptx", "PPTX"
    DOCX = "docx", "DOCX"
    MENTION = "mention", _("Mentioned in the notes")


class Attachment(models.Model):
    """Slides or a document of an item (PDF, PPTX or DOCX under MEDIA_ROOT), or a mention of
    slides in old notes. Uploaded files keep their extracted ``text`` (searched with the notes)
    and a preview: a PNG of the first page or slide, and/or ``preview_text``."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="networks/attachments/%Y/", blank=True)
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    title = models.CharField(max_length=300)
    preview_text = models.TextField(blank=True)
    preview_image = models.FileField(upload_to="networks/previews/%Y/", blank=True)
    preview_method = models.CharField(max_length=60, blank=True)
    text = models.TextField(blank=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        """True for an uploaded file (not a mention of slides in imported notes)."""
        return self.kind != AttachmentKind.MENTION and bool(self.file)


class AnalysisSnapshot(models.Model):
    """An analysis frozen in an item: its key, parameters, data version, released rows and chart.

    ``rows`` are the released figures exactly as shown; ``spec`` the Vega-Lite chart drawn from
    them, so the minutes show the same thing years later whatever has been imported since.
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="snapshots")
    analysis_key = models.CharField(max_length=80)
    title = models.CharField(max_length=300)
    parameters = models.JSONField(default=dict, blank=True)
    data_version = models.CharField(max_length=80)
    provenance = models.CharField(max_length=300)
    rows = models.JSONField(default=list, blank=True)
    spec = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("analysis snapshot")
        verbose_name_plural = _("analysis snapshots")

    def __str__(self) -> str:
        return f"{self.title} ({self.data_version})"

    @property
    def spec_element_id(self) -> str:
        """The HTML id of the script element holding the chart spec."""
        return f"snapshot-spec-{self.pk}"


class Forwarding(models.Model):
    """A decision or action item forwarded to another network's agenda.

    ``agenda_item`` is the item it became in the target network's next planned meeting; while
    it is empty the matter waits among the network's incoming matters (inkommande ärenden) and
    is put on the agenda of the next meeting created.
    """

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="forwardings"
    )
    action_item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, null=True, blank=True, related_name="forwardings"
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="incoming")
    title = models.CharField(max_length=300)
    text = models.TextField()
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forwarded_from",
    )
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forwarded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["forwarded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__isnull=False, action_item__isnull=True)
                | models.Q(decision__isnull=True, action_item__isnull=False),
                name="forwarding_one_source",
            ),
            models.UniqueConstraint(fields=["decision", "network"], name="forward_decision_once"),
            models.UniqueConstraint(fields=["action_item", "network"], name="forward_action_once"),
        ]
        verbose_name = _("forwarded matter")
        verbose_name_plural = _("forwarded matters")

    def __str__(self) -> str:
        return f"{self.title} → {self.network}"

    @property
    def source_item(self) -> AgendaItem:
        """The agenda item the decision or action item was recorded under."""
        source = self.decision or self.action_item
        if source is None:  # excluded by the check constraint
            raise ValueError("a forwarding without a source")
        return source.item


class SharedNote(models.Model):
    """A meeting's published minutes shared with another network's members."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="shares")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="shared_notes")
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "network"], name="share_once")]
        verbose_name = _("shared note")
        verbose_name_plural = _("shared notes")

    def __str__(self) -> str:
        return f"{self.meeting} → {self.network}"


class ImportedNotes(models.Model):
    """An old notes file imported into a meeting; its fingerprint makes a re-import a no-op."""

    file_name = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=100, unique=True)
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="imported")
    repairs = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("imported notes")
        verbose_name_plural = _("imported notes")

    def __str__(self) -> str:
        return self.file_name


class ReadingStatus(models.TextChoices):
    """Where the reading of an uploaded notes file stands."""

    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("being read")
    DONE = "done", _("read")
    FAILED = "failed", _("could not be read")


class NotesUpload(models.Model):
    """An uploaded notes file waiting for the secretary's review before it is committed.

    A scanned PDF is read by OCR in the background (``likvard.networks.tasks``): its upload
    waits as ``queued``, with the file kept in the private folder (``source``, removed once
    read), and the pages read so far in ``pages_read``.
    """

    file_name = models.CharField(max_length=255)
    text = models.TextField(blank=True, help_text=_("The extracted and repaired text."))
    repairs = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=20, choices=ReadingStatus.choices, default=ReadingStatus.DONE
    )
    pages = models.PositiveIntegerField(default=0)
    pages_read = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=300, blank=True)
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("notes upload")
        verbose_name_plural = _("notes uploads")

    def __str__(self) -> str:
        return self.file_name

    @property
    def active(self) -> bool:
        """True while the file waits to be read or is being read."""
        return self.status in {ReadingStatus.QUEUED, ReadingStatus.RUNNING}
