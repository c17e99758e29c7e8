"""Each role's job walked through the back office in a real Chromium, in Arabic at
390 px (a phone) and in English at 1280 px, through the UI only (links, buttons,
forms; no URL typed past the first screen of the job).

* institute administrator: find a student, open them, open the cohort's results
  sheet, see the rollover preview block the student on a clinical year, record the
  year from the paper register on the student's clinical record, see the preview
  graduate them, confirm (the second run graduates the cohort);
* clinical supervisor: approve hours awaiting approval;
* trainer: open today's session and mark its roster in one save;
* editor and moderator: translate a campaign into English, submit it for moderation,
  the moderator approves and it is live.

Each step asserts the job's outcome in the database; every screen is checked for
horizontal overflow at 390 px (document.documentElement.scrollWidth <= innerWidth)
and, in Arabic, for English words outside a short list of allowed Latin tokens
(codes, numbers, Latin names); screenshots go to test-artifacts/role-journeys/.
The data is made with the apps' factories and services (a few seconds), not the
full demo. Uses the fixtures and pattern of test_public_site.py.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from django.conf import settings
from django.utils import timezone

from institutes.services import EDITORIAL_GROUPS

from ..cms.conftest import tree  # noqa: F401 - the page tree fixture
from .test_public_site import ARGS, CHROMIUM

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "role-journeys"
PASSWORD = "correct-horse-battery"  # institutes.factories.UserFactory's
RUNS = (("ar", 390), ("en", 1280))
#: Latin words that may appear on an Arabic screen (units, formats, brand names).
ALLOWED_LATIN = {"PDF", "CSV", "Excel", "XLSX", "xlsx", "QR", "Wagtail", "ID"}
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]+")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not CHROMIUM.exists():
        pytest.skip(
            "Chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


class Screen:
    """One signed-in browser context: language, width, checks on every screen."""

    #: Where `check` writes its screenshots (another test file's subclass may differ).
    artifacts = ARTIFACTS

    def __init__(self, browser, base_url, *, lang, width, db, allowed=()):
        self.base_url, self.lang, self.width = base_url, lang, width
        #: Hold for the test's own ORM calls (tests/browser/conftest.py says why).
        self.db = db
        self.allowed = set(ALLOWED_LATIN) | set(allowed)
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, locale=lang
        )
        self.context.set_default_timeout(15000)
        self.context.add_cookies(
            [
                {
                    "name": settings.LANGUAGE_COOKIE_NAME,
                    "value": lang,
                    "url": base_url,
                }
            ]
        )
        self.page = self.context.new_page()
        self.problems: list[str] = []
        # Any server error the browser meets (a page, a redirect's target, an asset)
        # fails the journey by its address, whatever the screen shows afterwards.
        self.page.on("response", self._server_error)

    def _server_error(self, response):
        if response.status >= 500:
            self.problems.append(
                f"{self.lang}-{self.width}: {response.status} from "
                f"{response.request.method} {response.url}"
            )

    def login(self, username):
        self.page.goto(self.base_url + "/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.locator("form button[type=submit]").first.click()
        self.page.wait_for_url(re.compile(r"/admin/$"))

    def goto(self, path):
        self.page.goto(self.base_url + path)

    def check(self, name):
        """Overflow at phone width, untranslated English in Arabic, a screenshot."""
        page = self.page
        page.wait_for_load_state("domcontentloaded")
        label = f"{name}-{self.lang}-{self.width}"
        page.screenshot(path=str(self.artifacts / f"{label}.png"), full_page=True)
        if self.width <= 400:
            wide = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if wide[0] > wide[1]:
                self.problems.append(f"{label}: page is {wide[0]} px wide in {wide[1]}")
        if "Temporary error" in page.title():  # templates/500.html
            self.problems.append(f"{label}: the server error page")
            return
        if self.lang == "ar":
            text = page.locator("main").first.inner_text()
            with self.db:
                allowed = self.allowed | _names_in_data()
            allowed |= {a.strip("'’-") for a in allowed}
            english = sorted(
                {
                    w.strip("'’-")
                    for w in _LATIN_WORD.findall(text)
                    if w.strip("'’-") not in allowed and not any(c.isdigit() for c in w)
                }
            )
            if english:
                self.problems.append(f"{label}: English on an Arabic screen: {english}")

    def close(self):
        self.context.close()


# --- The data ------------------------------------------------------------------------


@pytest.fixture
def office(live_server, settings):
    """An institute with a final-year cohort, a ward with a supervisor and hours
    awaiting approval, a hospital trainer with today's session, made by factories."""
    # The live server answers the browser's parallel requests in threads; on the
    # test's in-memory SQLite a session row written by each request (the project
    # saves sessions on every request) collides with the others ("table is locked").
    # Signed-cookie sessions keep those writes out of the database.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    from curriculum.factories import CourseFactory
    from institutes.access import Role
    from institutes.factories import RoleAssignmentFactory, UserFactory
    from students import services as student_services
    from students.factories import CohortFactory, enrolled_student
    from training.factories import (
        StaffMemberFactory,
        TopicFactory,
        TrainingSessionFactory,
    )
    from training.placements.factories import RotationBlockFactory
    from training.placements.services import (
        hours_record,
        placement_book,
        placement_transition,
    )
    from training.staff.services import registration_create

    from ..training.placements.fixtures import make_site

    site = make_site("w")
    version = site.cohort.curriculum_version
    finals = CohortFactory(
        institute=site.institute, intake_year=2022, curriculum_version=version
    )
    # Year 4 of the final cohort had a rotation block: it is tracked.
    RotationBlockFactory(
        cohort=finals,
        year=4,
        start_date=datetime.date(2025, 10, 4),
        end_date=datetime.date(2025, 10, 9),
    )
    course = CourseFactory(version=version, year=5, code="NUR501")
    graduates = [
        enrolled_student(
            finals,
            year_of_study=5,
            person__name_ar=name_ar,
            person__name_en=name_en,
        )
        for name_ar, name_en in (
            ("سارة محمود الباز", "Sara Mahmoud El-Baz"),
            ("منى عادل القناوي", "Mona Adel El-Qenawy"),
        )
    ]
    student_services.results_save(
        course=course,
        enrolments=[g.enrolments.get() for g in graduates],
        marks={
            g.enrolments.get().pk: {"theory": "80", "practical": "40"}
            for g in graduates
        },
        by=site.admin,
    )
    # The supervisor's hours awaiting approval (a year-4 student of the site).
    trainee = enrolled_student(
        site.cohort, year_of_study=4, person__name_ar="هدى علي حسن"
    )
    placement = placement_book(
        block=site.block,
        student=trainee,
        ward=site.ward,
        start_date=site.block.start_date,
        end_date=site.block.end_date,
        supervisor=site.supervisor,
    )
    placement = placement_transition(placement=placement, to_status="confirmed")
    placement = placement_transition(placement=placement, to_status="in_progress")
    # Entered by the ward's clinical instructor, approved by the supervisor.
    entries = [
        hours_record(placement=placement, date=day, hours=6, by=site.instructor)
        for day in (datetime.date(2026, 10, 3), datetime.date(2026, 10, 4))
    ]
    # The trainer's session today with three registered staff.
    trainer = UserFactory(username="trainer-w", first_name="رانيا", last_name="فؤاد")
    RoleAssignmentFactory(
        user=trainer, role=Role.TRAINER, institute=None, hospital=site.hospital
    )
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=3)
    session = TrainingSessionFactory(
        hospital=site.hospital,
        topic=TopicFactory(code="ipc-w", title_ar="مكافحة العدوى", title_en="IPC"),
        venue="قاعة التدريب ١",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    session.trainers.add(trainer)
    staff = [StaffMemberFactory(hospital=site.hospital) for _ in range(3)]
    for member in staff:
        registration_create(session=session, staff=member, registered_by=trainer)
    # Registered while it was open; the session started half an hour ago.
    began = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=30)
    type(session).objects.filter(pk=session.pk).update(
        starts_at=began, ends_at=began + datetime.timedelta(hours=2)
    )
    return {
        "site": site,
        "finals": finals,
        "graduates": graduates,
        "entries": entries,
        "trainer": trainer,
        "session": session,
        "staff": staff,
        "url": live_server.url,
    }


# --- The journeys ---------------------------------------------------------------------


def test_role_journeys(browser, office, tree, db_turn):  # noqa: F811
    """One test so the data and the browser are set up once (the set stays short)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    office["campaigns"] = _untranslated_campaigns(tree)
    problems = []
    for run, (lang, width) in enumerate(RUNS):
        for journey in (_institute_admin, _supervisor, _trainer, _editor_moderator):
            screen = Screen(
                browser,
                office["url"],
                lang=lang,
                width=width,
                db=db_turn,
                allowed=_latin_tokens(office),
            )
            try:
                journey(screen, office, run)
            finally:
                problems.extend(screen.problems)
                screen.close()
    assert not problems, "\n".join(problems)


def _latin_tokens(office) -> set[str]:
    """Codes and Latin names of the data (allowed on Arabic screens)."""
    tokens = set()
    for student in office["graduates"]:
        tokens.update(_LATIN_WORD.findall(student.person.name_en or ""))
        tokens.update(_LATIN_WORD.findall(student.student_number))
    tokens.update(_LATIN_WORD.findall(office["site"].competencies[0].code))
    tokens.update({"NUR", "Y", "p", "w"})
    return tokens


def _names_in_data() -> set[str]:
    """Latin words of names people gave things (Latin names of people, institutes and
    hospitals, English page titles, image titles): data, not interface."""
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from institutes.models import Hospital, Institute, Person

    texts = [
        *Person.objects.values_list("name_en", flat=True),
        *Institute.objects.values_list("name_ar", "name_en"),
        *Hospital.objects.values_list("name_ar", "name_en"),
        *Page.objects.filter(locale__language_code="en").values_list(
            "title", flat=True
        ),
        *get_image_model().objects.values_list("title", flat=True),
    ]
    words = set()
    for text in texts:
        for part in text if isinstance(text, tuple) else (text,):
            words.update(_LATIN_WORD.findall(part or ""))
            words.update(w.rstrip("'’") for w in _LATIN_WORD.findall(part or ""))
    return words


def _untranslated_campaigns(pages):
    from ..cms.conftest import add_campaign

    return [
        add_campaign(pages.campaigns, slug=slug, title=title)
        for slug, title in (
            ("kidney-health", "صحة الكلى"),
            ("child-nutrition", "تغذية الطفل"),
        )
    ]


def _editor_moderator(screen: Screen, office, run: int):
    """The editor translates a campaign and submits the English version; the
    moderator approves it from the dashboard and it is live."""
    from django.contrib.auth.models import Group

    from wagtail.models import Locale

    from institutes.factories import UserFactory

    page = screen.page
    campaign = office["campaigns"][run]
    english = ("Kidney health", "Child nutrition")[run]
    with screen.db:
        editor = UserFactory(username=f"editor-{run}", first_name="نور")
        editor.groups.add(Group.objects.get(name=EDITORIAL_GROUPS["editor"]))
        moderator = UserFactory(username=f"moderator-{run}", first_name="مروة")
        moderator.groups.add(Group.objects.get(name=EDITORIAL_GROUPS["moderator"]))
        parent = campaign.get_parent().pk

    screen.login(editor.username)
    screen.goto(f"/admin/pages/{parent}/")
    screen.check("editor-explorer")
    # "Translate" sits in the row's "more" menu.
    row = page.locator("tr", has_text=campaign.title)
    row.locator("[data-w-dropdown-target='toggle']").last.click()
    page.locator(f'a[href$="/translation/submit/page/{campaign.pk}/"]').first.click()
    page.wait_for_url(re.compile(r"/translation/submit/page/\d+/"))
    screen.check("editor-translate")
    page.locator('input[name="locales"]').first.check()
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    page.fill("#id_title", english)
    screen.check("editor-edit-en")
    # "Submit to moderators" sits in the save button's menu.
    with page.expect_navigation():
        page.locator('button[name="action-submit"]').first.evaluate("b => b.click()")
    screen.check("editor-submitted")
    with screen.db:
        translated = campaign.get_translation(Locale.objects.get(language_code="en"))
        assert translated.workflow_in_progress
        assert not translated.live

    screen.context.clear_cookies()
    screen.context.add_cookies(
        [
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": screen.lang,
                "url": screen.base_url,
            }
        ]
    )
    screen.login(moderator.username)
    screen.check("moderator-dashboard")
    page.locator(f'a[href$="/pages/{translated.pk}/edit/"]').first.click()
    page.wait_for_url(re.compile(rf"/pages/{translated.pk}/edit/"))
    screen.check("moderator-review")
    with page.expect_navigation():
        page.locator('[data-workflow-action-name="approve"]').first.evaluate(
            "b => b.click()"
        )
    screen.check("moderator-approved")
    with screen.db:
        translated.refresh_from_db()
        assert translated.live and translated.title == english


def _institute_admin(screen: Screen, office, run: int):
    from students.models import StudentStatus
    from training.models import RecordedClinicalYear

    page, site = screen.page, office["site"]
    student = office["graduates"][run]
    screen.login(site.admin.username)
    # Find the student by name and open them.
    screen.goto("/admin/students/")
    screen.check("admin-students")
    page.fill("input[name=q]", student.person.name_ar.split()[0])
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=student.person.name_ar).first.click()
    page.wait_for_url(re.compile(rf"/admin/students/inspect/{student.pk}/"))
    screen.check("admin-student")
    # Their cohort → a results sheet → the rollover preview.
    cohort = office["finals"].pk
    page.locator(f'a[href*="/cohorts/inspect/{cohort}/"]').first.click()
    page.wait_for_url(re.compile(rf"/cohorts/inspect/{cohort}/"))
    screen.check("admin-cohort")
    page.get_by_role("link", name=re.compile("NUR501")).first.click()
    page.wait_for_url(re.compile(r"/results/\d+/"))
    page.locator("main").get_by_text(student.person.name_ar).first.wait_for()
    screen.check("admin-results-sheet")
    page.go_back()
    page.wait_for_url(re.compile(rf"/cohorts/inspect/{cohort}/"))
    page.locator(f'a[href$="/cohort/{cohort}/rollover/"]').first.click()
    page.wait_for_url(re.compile(r"/rollover/"))
    row = page.locator("tr", has_text=student.student_number)
    assert "st-blocked" in row.inner_html()
    screen.check("admin-rollover-blocked")
    # The blocker is year 4's clinical hours: record them from the paper register.
    row.get_by_role("link").first.click()
    page.wait_for_url(re.compile(rf"/students/inspect/{student.pk}/"))
    page.locator(f'a[href$="/placements/students/{student.pk}/"]').first.click()
    page.wait_for_url(re.compile(rf"/placements/students/{student.pk}/"))
    screen.check("admin-clinical-record")
    page.locator(f'a[href$="/students/{student.pk}/past-year/4/"]').first.click()
    page.wait_for_url(re.compile(r"/past-year/4/"))
    page.fill("#id_hours", "١٤" if screen.lang == "ar" else "14")
    page.fill("#id_evidence", "سجل التدريب الإكلينيكي ص ٤٠")
    screen.check("admin-past-year")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/placements/students/{student.pk}/#year-4$"))
    with screen.db:
        assert RecordedClinicalYear.objects.get(student=student, year=4).hours == 14
    # Back to the preview: the student graduates.
    screen.goto(f"/admin/students/inspect/{student.pk}/")
    page.locator(f'a[href*="/cohorts/inspect/{cohort}/"]').first.click()
    page.wait_for_url(re.compile(rf"/cohorts/inspect/{cohort}/"))
    page.locator(f'a[href$="/cohort/{cohort}/rollover/"]').first.click()
    page.wait_for_url(re.compile(r"/rollover/"))
    row = page.locator("tr", has_text=student.student_number)
    assert "st-graduate" in row.inner_html()
    screen.check("admin-rollover-graduates")
    if run == len(RUNS) - 1:
        page.locator("form.st-sticky button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/cohorts/inspect/{cohort}/"))
        screen.check("admin-rollover-done")
        with screen.db:
            for graduate in office["graduates"]:
                graduate.refresh_from_db()
                assert graduate.status == StudentStatus.GRADUATED


def _supervisor(screen: Screen, office, run: int):
    from training.models import ClinicalHours, HoursStatus

    page, site = screen.page, office["site"]
    entry = office["entries"][run]
    screen.login(site.supervisor.username)
    screen.goto("/admin/training/placements/today/")
    screen.check("supervisor-today")
    with page.expect_navigation():
        page.locator(
            f'form[action$="/hours/{entry.pk}/decide/"] button[value=approve]'
        ).click()
    with screen.db:
        assert ClinicalHours.objects.get(pk=entry.pk).status == HoursStatus.APPROVED
    screen.check("supervisor-approved")


def _trainer(screen: Screen, office, run: int):
    from training.models import Attendance

    page = screen.page
    session = office["session"]
    screen.login(office["trainer"].username)
    screen.goto("/admin/training/my-sessions/")
    screen.check("trainer-sessions")
    page.locator(f'a[href$="/sessions/{session.pk}/"]').first.click()
    page.wait_for_url(re.compile(rf"/sessions/{session.pk}/$"))
    for member in office["staff"]:
        page.get_by_text(member.employee_number).first.wait_for()
    screen.check("trainer-roster")
    if run == 0:
        for member in office["staff"]:
            page.locator(f'label[for="s{member.pk}-present"]').click()
        with page.expect_navigation():
            page.locator(
                f'form[action$="/sessions/{session.pk}/"] button[type=submit]'
            ).click()
        with screen.db:
            assert Attendance.objects.filter(session=session).count() == 3
    screen.check("trainer-roster-saved")
