"""Public verification pages and the back-office screens around the register.

Public: /<lang>/verify/ (form) and /<lang>/verify/<code>/ (result, optional PDF check).
Back office (under /admin/certificates/): issue one document, revoke, re-issue,
download, and bulk printing with its progress page. Every back-office look-up goes
through `institutes.access`: a foreign id answers 404.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from institutes import access
from institutes.client_address import client_address

from . import selectors, services
from .bulk import REPRINT, bulk_job_start
from .forms import IssueOptionsForm, PdfCheckForm, ReasonForm, ReprintForm, VerifyForm
from .models import BulkJob, BulkJobStatus, DocumentStatus, IssuedDocument
from .registry import get_kind
from .tables import BulkRunsTable
from .tasks import bulk_print

# --- public verification ---------------------------------------------------------


def _rate_limited(request) -> bool:
    limit, window = settings.CERTIFICATES_VERIFY_RATE
    return selectors.verify_rate_exceeded(
        client_address(request), limit=limit, window=window
    )


def _too_many(request):
    response = render(
        request,
        "certificates/verify_limited.html",
        {"window_minutes": settings.CERTIFICATES_VERIFY_RATE[1] // 60},
        status=429,
    )
    response["Retry-After"] = str(settings.CERTIFICATES_VERIFY_RATE[1])
    return response


@require_GET
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        typed = re.sub(r"[^0-9A-Za-z-]", "", form.cleaned_data["code"])
        if typed:
            return redirect("certificates:verify", code=typed)
        form.add_error("code", _("Type the code as printed, letters and digits."))
    return render(request, "certificates/verify_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify(request, code: str):
    if _rate_limited(request):
        return _too_many(request)
    doc = selectors.document_for_code(code)
    status = doc.status if doc is not None else "unknown"
    pdf_form = PdfCheckForm()
    pdf_result = None
    if request.method == "POST" and doc is not None:
        pdf_form = PdfCheckForm(request.POST, request.FILES)
        if pdf_form.is_valid():
            data = pdf_form.cleaned_data["pdf"].read()
            pdf_result = selectors.pdf_matches(doc, data)
    context = {
        "status": status,
        "statuses": DocumentStatus,
        "form": VerifyForm(initial={"code": code}),
        "pdf_form": pdf_form,
        "pdf_result": pdf_result,
        "code": code,
    }
    if doc is not None:
        # Only what the public may see: never the national ID, birth date or marks.
        context["public"] = {
            "holder_ar": doc.holder_name_ar,
            "holder_en": doc.holder_name_en,
            "kind": doc.kind_label,
            "title_ar": doc.title_ar,
            "title_en": doc.title_en,
            "issuer_ar": doc.issuer.name_ar,
            "issuer_en": doc.issuer.name_en,
            "issued_on": timezone.localdate(doc.issued_at),
            "valid_until": doc.valid_until,
            "revoked_on": timezone.localdate(doc.revoked_at)
            if doc.revoked_at
            else None,
            "serial": doc.serial,
            # The page writes dates in the digits the document was printed with
            # (Arabic-Indic digits only ever in Arabic text).
            "digits": doc.digits
            if (translation.get_language() or "ar").startswith("ar")
            else "latn",
            "superseded_by": doc.superseded_by.code_display
            if doc.superseded_by_id
            else None,
        }
    response = render(
        request,
        "certificates/verify_result.html",
        context,
        status=404 if doc is None else 200,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- back office -----------------------------------------------------------------


def _scoped_document(request, pk: int, action: str = "view") -> IssuedDocument:
    if access.stored_key(IssuedDocument, pk) is None:
        raise Http404
    qs = access.filter_for(
        IssuedDocument.objects.select_related(
            "issuer_institute", "issuer_hospital", "superseded_by"
        ),
        request.user,
        action,
    )
    return get_object_or_404(qs, pk=pk)


def _inspect_url(doc: IssuedDocument) -> str:
    return reverse("issued_documents:inspect", args=[doc.pk])


def issue_url(kind_code: str, achievement) -> str:
    """Where another app links to issue `kind_code` for `achievement`."""
    return (
        reverse("certificates_admin:issue")
        + f"?kind={kind_code}&object={achievement.pk}"
    )


@require_http_methods(["GET", "POST"])
def issue(request):
    """Issue one document for one achievement (linked from the student's page)."""
    params = request.POST if request.method == "POST" else request.GET
    try:
        kind = get_kind(params.get("kind", ""))
        object_id = int(params.get("object", ""))
    except (LookupError, ValueError):
        raise Http404(_("Unknown document kind or record.")) from None
    achievement = get_object_or_404(
        access.filter_for(kind.achievements(), request.user, "view"), pk=object_id
    )
    holder = kind.holder(achievement)
    existing = services.current_document(kind, achievement)
    problem = None
    if existing is None and not services.may_issue_as(
        request.user, kind.issuer(achievement)
    ):
        raise Http404
    if existing is None and request.method != "POST":
        # Shown before the registrar chooses; on POST the service checks (once).
        try:
            kind.check_eligible(achievement)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
    form = IssueOptionsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.document_issue(
                kind=kind,
                achievement=achievement,
                issued_by=request.user,
                language=form.cleaned_data["language"],
                digits=form.cleaned_data["digits"],
            )
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        except PermissionDenied:
            raise Http404 from None
        else:
            if result.created:
                messages.success(
                    request,
                    _("%(title)s issued to %(name)s: serial %(serial)s.")
                    % {
                        "title": result.document.title,
                        "name": result.document.holder_name,
                        "serial": result.document.serial,
                    },
                )
            else:
                messages.info(
                    request,
                    _("This document was already issued; here it is."),
                )
            return redirect(_inspect_url(result.document))
    return render(
        request,
        "certificates/admin/issue.html",
        {
            "kind": kind,
            "achievement": achievement,
            "holder": holder,
            "existing": existing,
            "problem": problem,
            "form": form,
        },
    )


def _may_render(user, doc: IssuedDocument) -> bool:
    return access.can(user, "change", doc) and services.may_issue_as(user, doc.issuer)


@require_GET
def download(request, pk: int):
    doc = _scoped_document(request, pk)
    try:
        handle = doc.pdf.open("rb")
    except (FileNotFoundError, ValueError):
        # The register row is there but its file is not (lost storage, restored
        # database): say so, and offer to render it again to whoever may issue it.
        return render(
            request,
            "certificates/admin/missing_pdf.html",
            {"doc": doc, "may_render": _may_render(request.user, doc)},
            status=404,
        )
    response = FileResponse(
        handle, content_type="application/pdf", filename=f"{doc.serial}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["POST"])
def rerender(request, pk: int):
    doc = _scoped_document(request, pk, "change")
    try:
        services.document_rerender(document=doc, rendered_by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_inspect_url(doc))
    messages.success(request, _("The document's PDF was rendered again."))
    return redirect(reverse("certificates_admin:download", args=[doc.pk]))


@require_http_methods(["GET", "POST"])
def revoke(request, pk: int):
    doc = _scoped_document(request, pk, "change")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_revoke(
                document=doc,
                revoked_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The document is revoked."))
            return redirect(_inspect_url(doc))
    return render(
        request,
        "certificates/admin/reason.html",
        {"doc": doc, "form": form, "action": "revoke"},
    )


@require_http_methods(["GET", "POST"])
def reissue(request, pk: int):
    doc = _scoped_document(request, pk, "change")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.document_reissue(
                document=doc,
                issued_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("A corrected document was issued; the old one is superseded."),
            )
            return redirect(_inspect_url(new))
    return render(
        request,
        "certificates/admin/reason.html",
        {"doc": doc, "form": form, "action": "reissue"},
    )


# --- bulk ------------------------------------------------------------------------


def _selections_for(user):
    """Bulk selections the user may start: (key, kind, selection)."""
    found = []
    for kind in services.kinds_user_may_issue(user):
        if not access.user_may(user, "view", kind.model):
            continue
        for sel in kind.bulk_selections:
            found.append((f"{kind.code}:{sel.code}", kind, sel))
    return found


@require_GET
def bulk_index(request):
    return render(
        request,
        "certificates/admin/bulk_index.html",
        {
            "selections": _selections_for(request.user),
            "jobs": BulkRunsTable(
                selectors.bulk_jobs_for_user(request.user)[:20], request=request
            ),
            "reprint": REPRINT if services.kinds_user_may_issue(request.user) else "",
        },
    )


def _start_job(request, *, kind_code, selection, params, language, digits, label):
    job = bulk_job_start(
        user=request.user,
        kind_code=kind_code,
        selection=selection,
        params=params,
        language=language,
        digits=digits,
        description=label,
    )
    result = bulk_print.enqueue(job.pk)
    BulkJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    return redirect("certificates_admin:bulk_job", pk=job.pk)


@require_http_methods(["GET", "POST"])
def bulk_new(request, key: str):
    if key == REPRINT:
        kinds = services.kinds_user_may_issue(request.user)
        if not kinds:
            raise PermissionDenied(
                _(
                    "Only the people who issue these documents (institute "
                    "administrators or trainers of the issuing hospital) can start a "
                    "bulk run."
                )
            )
        form = ReprintForm(
            request.POST or None, kind_choices=[(k.code, k.label) for k in kinds]
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            return _start_job(
                request,
                kind_code=data["kind"],
                selection=REPRINT,
                params={
                    "date_from": data["date_from"].isoformat(),
                    "date_to": data["date_to"].isoformat(),
                },
                language="ar-en",
                digits="arab",
                label=_("Documents issued from %(a)s to %(b)s")
                % {"a": data["date_from"], "b": data["date_to"]},
            )
        return render(
            request,
            "certificates/admin/bulk_new.html",
            {"form": form, "title": _("Reprint documents issued between two dates")},
        )
    matches = [s for s in _selections_for(request.user) if s[0] == key]
    if not matches:
        raise Http404
    _key, kind, sel = matches[0]
    form = IssueOptionsForm(request.POST or None)
    for name, field in sel.form_fields().items():
        form.fields[name] = field
        # A link may choose the selection (the session page's "Certificates").
        if request.method == "GET" and request.GET.get(name):
            form.initial[name] = request.GET[name]
    access.limit_choices(form.fields.values(), request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        language, digits = data.pop("language"), data.pop("digits")
        params = {
            name: (value.pk if hasattr(value, "pk") else value)
            for name, value in data.items()
        }
        described = ", ".join(str(v) for v in data.values())
        return _start_job(
            request,
            kind_code=kind.code,
            selection=sel.code,
            params=params,
            language=language,
            digits=digits,
            label=f"{kind.label} — {sel.label}: {described}",
        )
    return render(
        request,
        "certificates/admin/bulk_new.html",
        {"form": form, "title": f"{kind.label} — {sel.label}"},
    )


def _own_job(request, pk: int) -> BulkJob:
    return get_object_or_404(selectors.bulk_jobs_for_user(request.user), pk=pk)


def _job_state(job: BulkJob) -> dict:
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "total": job.total,
        "done": job.done,
        "percent": job.percent,
        "issued": job.issued_count,
        "skipped": job.skipped_count,
        "failures": job.failures,
        "error": job.error,
        "finished": job.status in (BulkJobStatus.DONE, BulkJobStatus.FAILED),
        "empty": job.status == BulkJobStatus.DONE and not job.combined_pdf,
        "downloads": {
            "pdf": reverse("certificates_admin:bulk_download", args=[job.pk, "pdf"])
            if job.combined_pdf
            else None,
            "zip": reverse("certificates_admin:bulk_download", args=[job.pk, "zip"])
            if job.zip_file
            else None,
        },
    }


@require_GET
def bulk_job(request, pk: int):
    job = _own_job(request, pk)
    return render(
        request,
        "certificates/admin/bulk_job.html",
        {"job": job, "state": _job_state(job)},
    )


@require_GET
def bulk_status(request, pk: int):
    job = _own_job(request, pk)
    response = JsonResponse(_job_state(job))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def bulk_download(request, pk: int, what: str):
    job = _own_job(request, pk)
    field = {"pdf": job.combined_pdf, "zip": job.zip_file}.get(what)
    if not field:
        raise Http404
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    return FileResponse(
        field.open("rb"),
        content_type="application/pdf" if what == "pdf" else "application/zip",
        filename=f"documents-{job.pk}-{stamp}.{what}",
        as_attachment=True,
    )


def documents_for_achievement(achievement) -> list[IssuedDocument]:
    """Every document issued for this record (newest first), for other apps' pages."""
    return list(
        IssuedDocument.objects.filter(
            achievement_type=ContentType.objects.get_for_model(type(achievement)),
            achievement_id=achievement.pk,
        ).select_related("issuer_institute", "issuer_hospital")
    )
