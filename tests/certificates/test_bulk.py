import dataclasses
import io
import zipfile

import pypdf
import pytest

from django.urls import reverse

from certificates.bulk import documents_issue_many
from certificates.models import BulkJob, IssuedDocument
from certificates.registry import get_kind
from institutes.services import EDITORIAL_GROUPS
from students.documents import GRADUATION_CERTIFICATE


@pytest.fixture
def graduates(world):
    from certificates.factories import graduate

    return [graduate(world.a.institute, index=i) for i in range(4)]


def test_bulk_run_from_the_admin_is_idempotent(client, world, graduates):
    client.force_login(world.a.admin)
    cohort = graduates[0].cohort
    url = reverse(
        "certificates_admin:bulk_new", args=[f"{GRADUATION_CERTIFICATE}:cohort"]
    )
    response = client.post(
        url, {"cohort": cohort.pk, "language": "ar-en", "digits": "arab"}
    )
    job = BulkJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates_admin:bulk_job", args=[job.pk])
    state = client.get(reverse("certificates_admin:bulk_status", args=[job.pk])).json()
    assert state["status"] == "done" and state["percent"] == 100
    assert state["issued"] == 4 and state["skipped"] == 0 and state["failures"] == []
    pdf = client.get(state["downloads"]["pdf"])
    assert len(pypdf.PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages) == 4
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get(state["downloads"]["zip"]).streaming_content))
    )
    names = archive.namelist()
    assert len(names) == 4 and all(n.startswith("INST-A-2026-") for n in names)
    for doc in IssuedDocument.objects.all():
        import hashlib

        entry = next(n for n in names if n.startswith(doc.serial))
        assert hashlib.sha256(archive.read(entry)).hexdigest() == doc.sha256

    client.post(url, {"cohort": cohort.pk, "language": "ar-en", "digits": "arab"})
    again = BulkJob.objects.latest("pk")
    assert again.issued_count == 0 and again.skipped_count == 4
    assert IssuedDocument.objects.count() == 4
    # The runs list (a labelled table) links both runs with their counts.
    runs = client.get(reverse("certificates_admin:bulk")).content.decode()
    for run in (job, again):
        assert reverse("certificates_admin:bulk_job", args=[run.pk]) in runs
    assert 'data-label="' in runs


def test_one_failing_document_is_named_and_the_rest_issued(
    world, graduates, monkeypatch
):
    kind = get_kind(GRADUATION_CERTIFICATE)
    broken = graduates[2]
    original = kind.context

    def context(student):
        if student.pk == broken.pk:
            raise RuntimeError("programme missing")
        return original(student)

    broken_kind = dataclasses.replace(kind, context=context)
    outcome = documents_issue_many(
        kind=broken_kind,
        achievements=list(kind.achievements().filter(pk__in=[g.pk for g in graduates])),
        issued_by=world.a.admin,
        language="ar-en",
        digits="arab",
    )
    assert len(outcome.issued) == 3
    assert outcome.failures == [
        {"name": broken.person.name_ar, "error": "programme missing"}
    ]
    assert not IssuedDocument.objects.filter(achievement_id=broken.pk).exists()


def test_a_render_failure_in_a_chunk_is_isolated(world, graduates, monkeypatch):
    import certificates.rendering as rendering

    kind = get_kind(GRADUATION_CERTIFICATE)
    broken = graduates[1]
    original = rendering.fragment_html

    def fragment(doc, index, **kwargs):
        if doc.achievement.pk == broken.pk:
            return "<broken"
        return original(doc, index, **kwargs)

    monkeypatch.setattr(rendering, "fragment_html", fragment)
    outcome = documents_issue_many(
        kind=kind,
        achievements=list(kind.achievements().filter(pk__in=[g.pk for g in graduates])),
        issued_by=None,
        language="ar-en",
        digits="arab",
    )
    assert len(outcome.issued) == 3
    assert [f["name"] for f in outcome.failures] == [broken.person.name_ar]
    reader = pypdf.PdfReader(io.BytesIO(outcome.combined_pdf))
    assert len(reader.pages) == 3


def test_ineligible_people_in_a_selection_are_reported(world, graduates):
    from certificates.factories import graduate

    kind = get_kind(GRADUATION_CERTIFICATE)
    still_studying = graduate(world.a.institute, graduated=False, index=7)
    outcome = documents_issue_many(
        kind=kind,
        achievements=[*graduates[:1], still_studying],
        issued_by=world.a.admin,
        language="ar",
        digits="arab",
    )
    assert len(outcome.issued) == 1
    assert outcome.failures[0]["name"] == still_studying.person.name_ar


def test_reprint_between_dates_collects_existing_documents(client, world, graduates):
    from django.utils import timezone

    from certificates.services import document_issue

    for g in graduates[:2]:
        document_issue(kind=GRADUATION_CERTIFICATE, achievement=g, issued_by=None)
    client.force_login(world.b.admin)  # sees none of A's documents
    today = timezone.localdate().isoformat()
    url = reverse("certificates_admin:bulk_new", args=["issued-between"])
    client.post(url, {"date_from": today, "date_to": today, "kind": ""})
    assert BulkJob.objects.get().skipped_count == 0
    client.force_login(world.a.admin)
    client.post(url, {"date_from": today, "date_to": today, "kind": ""})
    assert BulkJob.objects.latest("pk").skipped_count == 2


def test_worker_processes_render_the_same_documents(world, graduates):
    """The multi-process path (spawned workers, chunks of two) gives valid PDFs."""
    import hashlib

    kind = get_kind(GRADUATION_CERTIFICATE)
    outcome = documents_issue_many(
        kind=kind,
        achievements=list(kind.achievements().filter(pk__in=[g.pk for g in graduates])),
        issued_by=None,
        language="ar-en",
        digits="arab",
        processes=2,
        chunk_size=2,
    )
    assert len(outcome.issued) == 4 and outcome.failures == []
    for doc in outcome.issued:
        data = doc.pdf.open("rb").read()
        assert hashlib.sha256(data).hexdigest() == doc.sha256
        assert (
            doc.holder_name_ar
            in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
        )
    assert len(pypdf.PdfReader(io.BytesIO(outcome.combined_pdf)).pages) == 4


def test_a_run_with_nobody_to_print_says_so(client, world):
    from students.factories import CohortFactory

    empty = CohortFactory(institute=world.a.institute, intake_year=2024)
    client.force_login(world.a.admin)
    url = reverse(
        "certificates_admin:bulk_new", args=[f"{GRADUATION_CERTIFICATE}:cohort"]
    )
    client.post(url, {"cohort": empty.pk, "language": "ar-en", "digits": "arab"})
    job = BulkJob.objects.get()
    state = client.get(reverse("certificates_admin:bulk_status", args=[job.pk])).json()
    assert state["finished"] and state["empty"] and state["downloads"]["pdf"] is None
    page = client.get(reverse("certificates_admin:bulk_job", args=[job.pk]))
    assert "لا شيء للطباعة" in page.content.decode()
    assert 'data-role="empty" hidden' not in page.content.decode()


def _editor():
    from django.contrib.auth.models import Group

    from institutes.factories import UserFactory

    editor = UserFactory(username="editor")
    group, _created = Group.objects.get_or_create(name=EDITORIAL_GROUPS["editor"])
    from django.contrib.auth.models import Permission

    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    return editor


def test_an_editor_cannot_start_a_reprint_or_a_bulk_run(client, world, graduates):
    from django.utils import timezone

    client.force_login(_editor())
    today = timezone.localdate().isoformat()
    reprint = reverse("certificates_admin:bulk_new", args=["issued-between"])
    home = reverse("wagtailadmin_home")  # Wagtail answers PermissionDenied so
    refused = client.get(reprint)
    assert (refused.status_code, refused["Location"]) == (302, home)
    response = client.post(reprint, {"date_from": today, "date_to": today, "kind": ""})
    assert (response.status_code, response["Location"]) == (302, home)
    run = reverse(
        "certificates_admin:bulk_new", args=[f"{GRADUATION_CERTIFICATE}:cohort"]
    )
    assert client.get(run).status_code == 404
    index = client.get(reverse("certificates_admin:bulk")).content.decode()
    assert reprint not in index
    assert not BulkJob.objects.exists()


def test_an_institute_admin_starts_a_reprint(client, world, graduates):
    from django.utils import timezone

    client.force_login(world.a.admin)
    today = timezone.localdate().isoformat()
    reprint = reverse("certificates_admin:bulk_new", args=["issued-between"])
    assert reprint in client.get(reverse("certificates_admin:bulk")).content.decode()
    response = client.post(
        reprint,
        {"date_from": today, "date_to": today, "kind": GRADUATION_CERTIFICATE},
    )
    assert response.status_code == 302
    assert BulkJob.objects.get().started_by == world.a.admin


def test_a_supervisor_or_a_trainer_cannot_start_institute_documents(world):
    from django.core.exceptions import PermissionDenied

    from certificates.bulk import REPRINT, bulk_job_start

    for user in (world.a.supervisor, world.a.trainer):
        with pytest.raises(PermissionDenied):
            bulk_job_start(
                user=user,
                kind_code=GRADUATION_CERTIFICATE,
                selection=REPRINT,
                params={},
                language="ar-en",
                digits="arab",
                description="x",
            )
    with pytest.raises(PermissionDenied):
        bulk_job_start(
            user=world.a.supervisor,
            kind_code="",
            selection=REPRINT,
            params={},
            language="ar-en",
            digits="arab",
            description="x",
        )
    assert not BulkJob.objects.exists()
    # Twin: the institute's administrator may.
    job = bulk_job_start(
        user=world.a.admin,
        kind_code=GRADUATION_CERTIFICATE,
        selection=REPRINT,
        params={},
        language="ar-en",
        digits="arab",
        description="x",
    )
    assert job.started_by == world.a.admin


def test_training_certificates_are_started_by_trainers_not_institute_admins(world):
    from django.core.exceptions import PermissionDenied

    from certificates.bulk import REPRINT, bulk_job_start

    def start(user):
        return bulk_job_start(
            user=user,
            kind_code="training.certificate",
            selection=REPRINT,
            params={},
            language="ar-en",
            digits="arab",
            description="x",
        )

    with pytest.raises(PermissionDenied):
        start(world.a.admin)
    assert start(world.a.trainer).started_by == world.a.trainer


def test_a_bulk_run_shows_progress_before_it_ends(world, graduates, monkeypatch):
    """The first document of a longer run is rendered alone and counted as done
    before the rest of the run is rendered (the progress bar moves early)."""
    import certificates.bulk as bulk

    monkeypatch.setattr(bulk, "FIRST_ALONE_FROM", 2)
    monkeypatch.setattr(bulk, "_processes", lambda: 1)
    job = bulk.bulk_job_start(
        user=world.a.admin,
        kind_code=GRADUATION_CERTIFICATE,
        selection="cohort",
        params={"cohort": graduates[0].cohort_id},
        language="ar-en",
        digits="arab",
        description="progress",
    )
    seen = []
    original = bulk.render_job

    def render_job(batch):
        seen.append(
            (
                len(batch["doc_ids"]),
                BulkJob.objects.values_list("done", flat=True).get(),
            )
        )
        return original(batch)

    monkeypatch.setattr(bulk, "render_job", render_job)
    bulk.bulk_job_run(job.pk)

    # (documents in the chunk, documents the job said were done when it started)
    assert seen == [(1, 0), (3, 1)]
    job.refresh_from_db()
    assert job.status == "done" and job.done == 4 and job.issued_count == 4


def test_only_longer_runs_render_their_first_document_alone(monkeypatch):
    import certificates.bulk as bulk

    monkeypatch.setattr(bulk, "FIRST_ALONE_FROM", 20)
    assert bulk._chunk_sizes(20, 20) == [20]
    assert bulk._chunk_sizes(21, 20) == [1, 20]
    assert bulk._chunk_sizes(1000, 100) == [1, *[100] * 9, 99]
    assert bulk._chunk_sizes(0, 20) == []
