"""The registry of document kinds: how an app teaches `certificates` to issue its papers.

`certificates` is generic: it keeps the register, renders PDFs and verifies codes. Each
kind of document lives in the app that owns its data (`students/documents.py`,
`training/documents.py`) and registers itself here; those modules are imported when
the project starts (`CertificatesConfig.ready`).

    from certificates.registry import DocumentKind, NotEligible, register_document_kind

    def _check(session_attendance):
        if not session_attendance.passed:
            raise NotEligible(_("%(name)s did not pass.") % {...})

    register_document_kind(DocumentKind(
        code="training.certificate",
        label=_("Training certificate"),
        model=Attendance,                        # the achievement
        template="training/documents/certificate.html",
        orientation="landscape",
        holder=lambda a: a.registration.staff.person,
        issuer=lambda a: a.registration.session.hospital,
        title=lambda a: (a.session.topic.name_ar, a.session.topic.name_en),
        check_eligible=_check,
        context=lambda a: {"topic": a.session.topic, "score": a.score},
        expiry=lambda a, issued_on: issued_on + relativedelta(months=a.topic.months),
        select_related=("registration__staff__person", "registration__session"),
    ))

Rules a kind must respect:
- `holder` returns an `institutes.Person`; `issuer` an `Institute` or a `Hospital`.
  The issuer is the document's scope: only people holding a role over it see, revoke
  or download the document (`IssuedDocument.access_rule`). Declare which one as
  `issuer_model`: only holders of that role (institute administrators, or trainers)
  may start bulk runs and reprints of the kind (`services.may_issue_kind`).
- `check_eligible(achievement)` raises `NotEligible` with a sentence a registrar can
  act on ("Mona has not graduated yet"). It runs for every issue, single and bulk.
- `context(achievement)` returns what the template needs; it must not write.
  Everything users typed is escaped by Django's templates: never mark it safe.
- The template renders ONE document (a fragment, see
  `certificates/templates/certificates/pdf/example_fragment.html`); the wrapper adds
  fonts, page size and the verification block helpers. Use `{% language "en" %}` for
  the English parts and `doc.show_ar` / `doc.show_en` for the chosen languages.
- `stylesheet` is a template name (e.g. "students/documents/certificate.css") rendered
  once per process; `page_size` and `orientation` become the `@page` size.
- `paged=True` kinds (several pages with "page x of y") are laid out one document at a
  time; single-page kinds are laid out many to one WeasyPrint document in bulk runs.
- The achievement model must declare an `access_rule` (who may issue for it).

Layered kinds (fast bulk printing of one-page certificates): set `fields_template`
(and `fields_stylesheet`). `template` then renders the *background*: everything that
is the same for a whole batch, from a `certificates.rendering.BatchPage` (`page`:
issuer, languages, digits, dates, title) and `background_data(context)` (`data`:
plain values, e.g. the programme and the holder's grammatical gender). It cannot see
the holder, so it cannot print another holder's name by mistake. Where a field goes,
it leaves an empty box `<div data-slot="holder-name-ar"></div>` with a fixed size;
`fields_template` renders the holder's values into elements with the same
`data-slot`, which are placed exactly over those boxes. The background is laid out
once per process and drawn once per file; only the fields are laid out per document.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models


class NotEligible(ValidationError):
    """The person may not (yet) receive this document; the message says why."""


@dataclass(frozen=True)
class BulkSelection:
    """A named way to pick many achievements at once for a bulk run.

    `queryset(params)` returns the achievements (unscoped: the bulk service scopes them
    with `institutes.access`); `form_fields` are the extra fields the bulk form shows
    (e.g. a cohort chooser), already narrowed to the user by `limit_choices`.
    """

    code: str
    label: Any
    queryset: Callable[[dict], models.QuerySet]
    form_fields: Callable[[], dict] = field(default=dict)


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document that can be issued, verified and printed."""

    code: str
    label: Any
    model: type[models.Model]
    template: str
    holder: Callable[[Any], Any]
    issuer: Callable[[Any], Any]
    title: Callable[[Any], tuple[str, str]]
    check_eligible: Callable[[Any], None] = lambda achievement: None
    context: Callable[[Any], dict] = lambda achievement: {}
    expiry: Callable[[Any, datetime.date], datetime.date | None] | None = None
    page_size: str = "A4"
    orientation: str = "portrait"
    paged: bool = False
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    bulk_selections: tuple[BulkSelection, ...] = ()
    stylesheet: str = ""
    fields_template: str = ""
    fields_stylesheet: str = ""
    background_data: Callable[[dict], dict] = lambda context: {}
    # Institute or Hospital: what `issuer` returns, so who may issue the kind in bulk.
    # None: anyone holding an institute or a hospital role (never a ward supervisor,
    # never a user without a role).
    issuer_model: type[models.Model] | None = None

    def __post_init__(self):
        if "." not in self.code:
            raise ImproperlyConfigured(
                f"Document kind code {self.code!r} must be '<app>.<name>', "
                "e.g. 'students.transcript'."
            )
        if self.orientation not in ("portrait", "landscape"):
            raise ImproperlyConfigured(
                f"{self.code}: orientation must be 'portrait' or 'landscape'."
            )
        if getattr(self.model, "access_rule", None) is None:
            raise ImproperlyConfigured(
                f"{self.code}: {self.model._meta.label} needs an access_rule so that "
                "issuing can be scoped."
            )

        if self.fields_template and self.paged:
            raise ImproperlyConfigured(
                f"{self.code}: a kind with a fields_template is one page; it can't be "
                "paged=True."
            )

    @property
    def layered(self) -> bool:
        return bool(self.fields_template)

    @property
    def page_css_size(self) -> str:
        return f"{self.page_size} {self.orientation}"

    def achievements(self) -> models.QuerySet:
        """The achievement model's rows with what rendering reads already joined."""
        qs = self.model._default_manager.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def selection(self, code: str) -> BulkSelection:
        for sel in self.bulk_selections:
            if sel.code == code:
                return sel
        raise KeyError(code)


_KINDS: dict[str, DocumentKind] = {}


def register_document_kind(kind: DocumentKind) -> DocumentKind:
    """Add a kind to the registry (idempotent for the same code and model)."""
    existing = _KINDS.get(kind.code)
    if existing is not None and existing.model is not kind.model:
        raise ImproperlyConfigured(
            f"Document kind {kind.code!r} is already registered for "
            f"{existing.model._meta.label}."
        )
    _KINDS[kind.code] = kind
    return kind


def unregister_document_kind(code: str) -> None:
    """Remove a kind (tests)."""
    _KINDS.pop(code, None)


def get_kind(code: str) -> DocumentKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(
            f"No document kind {code!r}; registered: {sorted(_KINDS)}"
        ) from None


def all_kinds() -> Iterable[DocumentKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


def kind_choices() -> list[tuple[str, Any]]:
    return [(k.code, k.label) for k in all_kinds()]


def kind_label(code: str):
    kind = _KINDS.get(code)
    return kind.label if kind else code
