"""Demo data for mandatory staff training: topics, a few hundred staff of the Luxor
hospitals, two years of sessions with attendance, upcoming sessions with bookings.

The mix is drawn per person and topic (compliant, due soon, expired, never taken, new
staff in grace) and then realised as real attendance on real sessions, so every figure
on the dashboards comes from the same code paths as production data. Idempotent: when
the hospitals already have staff, only the topics are refreshed.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from django.utils import timezone

from institutes.identity import CheckedDocument, DocumentType
from institutes.models import Person, Specialty
from institutes.services import PersonInput, people_upsert_bulk

from .compliance import add_months, status_sync, topic_requires
from .factories import make_national_id
from .models import (
    AssessmentKind,
    Attendance,
    AttendanceStatus,
    Delivery,
    InductionTopic,
    JobCategory,
    RenewalRule,
    SessionStatus,
    StaffMember,
    Topic,
    TrainingSession,
)
from .services import registration_bulk

# Copied from the shared reference material (training topics, Arabic names).
REFERENCE = Path(__file__).resolve().parent.parent / "demo_data"  # training/demo_data

STAFF_PER_HOSPITAL = {
    "karnak": 90,
    "limc": 80,
    "isis": 45,
    "horus": 50,
    "taiba": 45,
    "adaisat": 30,
}
CATEGORY_WEIGHTS = [
    (JobCategory.NURSE, 45),
    (JobCategory.PHYSICIAN, 18),
    (JobCategory.TECHNICIAN, 10),
    (JobCategory.PHARMACIST, 5),
    (JobCategory.ADMINISTRATIVE, 13),
    (JobCategory.SUPPORT, 9),
]
JOB_TITLES = {
    JobCategory.NURSE: ("ممرضة", "ممرض", "رئيسة تمريض"),
    JobCategory.PHYSICIAN: ("طبيب مقيم", "أخصائي", "استشاري"),
    JobCategory.TECHNICIAN: ("فني مختبر", "فني أشعة", "فني تخدير"),
    JobCategory.PHARMACIST: ("صيدلي",),
    JobCategory.ADMINISTRATIVE: ("موظف شؤون إدارية", "موظف استقبال", "محاسب"),
    JobCategory.SUPPORT: ("عامل نظافة", "أمن", "سائق إسعاف"),
}

# Specialties for the qualified categories of the reference file (e.g. "nurse(ICU/ER)").
TOPIC_SPECIALTIES = {
    "ACLS": [Specialty.ICU, Specialty.ER],
    "NRP": [Specialty.OBSTETRICS, Specialty.NICU, Specialty.PAEDIATRICS],
}
RENEW_FROM_EXPIRY = {"BLS", "ACLS", "NRP"}
DESCRIPTIONS = {
    "IPC": (
        "الاحتياطات القياسية، العزل، تعقيم الأدوات والتعامل مع التعرض للعدوى.",
        "Standard precautions, isolation, instrument reprocessing and exposure management.",
    ),
    "HH": (
        "اللحظات الخمس لنظافة الأيدي وتقنية الفرك والغسل.",
        "The five moments for hand hygiene; hand-rub and hand-wash technique.",
    ),
    "FIRE": (
        "أنواع الطفايات، خطط الإخلاء، نقل المرضى عند الحريق.",
        "Extinguisher types, evacuation plans, moving patients in a fire.",
    ),
}


def _topic_rows():
    with open(REFERENCE / "training-topics.csv", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def _categories(spec: str) -> list[str]:
    if spec.strip() == "all":
        return list(JobCategory.values)
    cats = []
    for part in spec.split(";"):
        name = part.split("(")[0].strip()
        if name in JobCategory.values and name not in cats:
            cats.append(name)
    return cats


def load_topics() -> dict[str, Topic]:
    topics = {}
    for row in _topic_rows():
        code = row["code"]
        assessment = {
            "exam": AssessmentKind.EXAM,
            "practical": AssessmentKind.PRACTICAL,
        }.get(row["assessment"], AssessmentKind.ATTENDANCE)
        description = DESCRIPTIONS.get(code, ("", ""))
        topic, _ = Topic.objects.update_or_create(
            code=code.lower(),
            defaults={
                "title_ar": row["title_ar"],
                "title_en": row["title_en"],
                "description_ar": description[0],
                "description_en": description[1],
                "job_categories": _categories(row["job_categories"]),
                "specialties": TOPIC_SPECIALTIES.get(code, []),
                "validity_months": int(row["validity_months"]),
                "hours": row["hours"],
                "assessment": assessment,
                "pass_mark": None
                if assessment == AssessmentKind.ATTENDANCE
                else (80 if assessment == AssessmentKind.PRACTICAL else 70),
                "delivery": Delivery.ELEARNING
                if code == "RIGHTS"
                else (
                    Delivery.PRACTICAL
                    if row["assessment"] == "practical"
                    else Delivery.CLASSROOM
                ),
                "renewal_rule": RenewalRule.FROM_PREVIOUS_EXPIRY
                if code in RENEW_FROM_EXPIRY
                else RenewalRule.FROM_COMPLETION,
                "renewal_window_days": 90 if code in RENEW_FROM_EXPIRY else 0,
                "grace_days": 90,
            },
        )
        topic.refresh_from_db()
        topics[code] = topic
    return topics


def _names():
    given = {"m": [], "f": []}
    family = []
    with open(REFERENCE / "names-ar.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] == "given":
                given[row["sex"]].append((row["arabic"], row["latin"]))
            else:
                family.append((row["arabic"], row["latin"]))
    return given, family


def _weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


# The induction of a new hire: topic code → months to complete, per job category
# (a topic is planned only for the categories it is required of).
INDUCTION_PLAN = {
    JobCategory.NURSE: {
        "IPC": 1, "HH": 1, "BLS": 3, "FIRE": 2, "PS": 3, "MED": 3,
        "WASTE": 6, "RIGHTS": 6, "GAHAR": 6,
    },
    JobCategory.PHYSICIAN: {
        "IPC": 1, "HH": 1, "BLS": 3, "FIRE": 2, "PS": 3, "MED": 3, "GAHAR": 6,
    },
    JobCategory.PHARMACIST: {"IPC": 1, "HH": 1, "BLS": 3, "FIRE": 2, "MED": 3},
    JobCategory.TECHNICIAN: {"IPC": 1, "HH": 1, "BLS": 3, "FIRE": 2, "WASTE": 3},
    JobCategory.ADMINISTRATIVE: {"IPC": 2, "HH": 1, "FIRE": 2, "RIGHTS": 6},
    JobCategory.SUPPORT: {"IPC": 1, "HH": 1, "FIRE": 2, "WASTE": 3},
}  # fmt: skip


def load_induction_plan(topics: dict[str, Topic]) -> int:
    """The demo's induction plan (idempotent); returns the number of lines."""
    count = 0
    for category, plan in INDUCTION_PLAN.items():
        for code, months in plan.items():
            topic = topics.get(code)
            if topic is None or category not in topic.job_categories:
                continue
            InductionTopic.objects.update_or_create(
                job_category=category,
                topic=topic,
                defaults={"months_to_complete": months},
            )
            count += 1
    return count


def load_staff_training(ctx) -> None:
    topics = load_topics()
    load_induction_plan(topics)
    hospitals = ctx.shared["hospitals"]
    if StaffMember.objects.filter(hospital__in=hospitals.values()).exists():
        ctx.say(f"  {len(topics)} training topics; staff already loaded")
        return
    rng = ctx.rng
    today = timezone.localdate()
    staff = _make_staff(ctx, rng, today)
    staff += _hire_graduates(ctx, today)
    sessions = _make_history(ctx, rng, today, staff, topics)
    status_sync([s.pk for s in staff])
    _make_upcoming(ctx, rng, today, topics)
    ctx.say(
        f"  {len(topics)} training topics, {len(staff)} staff, {sessions} past "
        "sessions with attendance, upcoming sessions with bookings"
    )


def _make_staff(ctx, rng, today) -> list[StaffMember]:
    given, family = _names()
    wards_by_hospital = {}
    for (code, _name), ward in ctx.shared["wards"].items():
        wards_by_hospital.setdefault(code, []).append(ward)
    people, members = [], []
    serial = 5000
    existing_ids = set(Person.objects.values_list("national_id", flat=True))
    for code, count in STAFF_PER_HOSPITAL.items():
        hospital = ctx.shared["hospitals"][code]
        wards = wards_by_hospital.get(code, [])
        for n in range(1, count + 1):
            category = _weighted(rng, CATEGORY_WEIGHTS)
            sex = (
                "f"
                if category == JobCategory.NURSE and rng.random() < 0.8
                else rng.choice("mf")
            )
            first = rng.choice(given[sex])
            father = rng.choice(given["m"])
            last = rng.choice(family)
            birth = datetime.date(
                rng.randint(1966, 2002), rng.randint(1, 12), rng.randint(1, 28)
            )
            serial += 1
            national_id = make_national_id(
                birth, sex, rng.choice(["29", "29", "27", "28"]), serial
            )
            while national_id in existing_ids:
                serial += 1
                national_id = make_national_id(birth, sex, "29", serial)
            existing_ids.add(national_id)
            people.append(
                PersonInput(
                    document=CheckedDocument(
                        DocumentType.EGYPTIAN_NATIONAL_ID,
                        "EG",
                        national_id,
                        birth_date=birth,
                        sex=sex,
                    ),
                    name_ar=f"{first[0]} {father[0]} {last[0]}",
                    name_en=f"{first[1]} {father[1]} {last[1]}",
                )
            )
            if rng.random() < 0.06:
                hired = today - datetime.timedelta(days=rng.randint(5, 80))
            else:
                hired = datetime.date(
                    rng.randint(2004, today.year - 1),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                )
            clinical = category in (
                JobCategory.NURSE,
                JobCategory.PHYSICIAN,
                JobCategory.TECHNICIAN,
            )
            member = StaffMember(
                hospital=hospital,
                ward=rng.choice(wards) if (wards and clinical) else None,
                employee_number=f"{code[:3].upper()}-{n:04d}",
                job_category=category,
                job_title=rng.choice(JOB_TITLES[category]),
                hire_date=hired,
                email=f"{code}.{n:04d}@staff.luxor.example",
                phone=f"010{rng.randint(10000000, 99999999)}",
            )
            members.append(member)
    # Through the person service like any import (no one's identity is changed).
    saved = people_upsert_bulk(by=None, items=people)
    for person, member in zip(people, members, strict=True):
        member.person = saved[person.document.key]
        member.search_text = ""
        member.refresh_search_text()
    StaffMember.objects.bulk_create(members, batch_size=500)
    members = list(
        StaffMember.objects.filter(
            hospital__in=ctx.shared["hospitals"].values()
        ).select_related("ward", "person")
    )
    # The first nurse of each ward manages the others there.
    heads = {}
    for member in members:
        if member.ward_id and member.job_category == JobCategory.NURSE:
            heads.setdefault(member.ward_id, member)
    for member in members:
        head = heads.get(member.ward_id)
        if head and head.pk != member.pk:
            member.manager = head
    StaffMember.objects.bulk_update(members, ["manager"], batch_size=500)
    return members


def _hire_graduates(ctx, today) -> list[StaffMember]:
    """A few of the institutes' graduates join the hospitals as nurses: one person
    record carries both their student documents and their training history."""
    from django.core.exceptions import FieldError

    from .services import staff_member_save

    try:
        graduates = list(
            Person.objects.filter(student__status="graduated")
            .exclude(staff_memberships__isnull=False)
            .order_by("pk")[:6]
        )
    except FieldError:  # the students app is not installed
        return []
    hospital = ctx.shared["hospitals"]["karnak"]
    hired = []
    for n, person in enumerate(graduates, start=1):
        hired.append(
            staff_member_save(
                by=None,
                confirm_link=True,  # the graduate's own person record, names unchanged
                national_id=person.national_id,
                name_ar=person.name_ar,
                name_en=person.name_en,
                hospital=hospital,
                employee_number=f"KAR-G{n:03d}",
                job_category=JobCategory.NURSE,
                job_title="ممرضة حديثة التخرج"
                if person.sex == "f"
                else "ممرض حديث التخرج",
                hire_date=today - datetime.timedelta(days=20 + 7 * n),
                email=f"karnak.g{n:03d}@staff.luxor.example",
            )
        )
    return hired


PROFILES = [
    ("compliant", 58),
    ("due", 9),
    ("expired", 15),
    ("never", 13),
    ("failed", 5),
]


def _make_history(ctx, rng, today, staff, topics) -> int:
    """Sessions every month per hospital and topic over two years, and attendance
    that realises a drawn profile for each person and required topic."""
    trainers = {
        "karnak": ctx.shared["accounts"].get("trainer.karnak"),
        "taiba": ctx.shared["accounts"].get("trainer.taiba"),
    }
    tz = timezone.get_current_timezone()
    sessions = {}
    new_sessions = []
    for hospital in ctx.shared["hospitals"].values():
        for topic in topics.values():
            months_back = 26 if topic.validity_months <= 12 else 38
            step = 1 if topic.validity_months <= 12 else 2
            for back in range(months_back, 0, -step):
                day = add_months(today.replace(day=1), -back) + datetime.timedelta(
                    days=rng.randint(0, 25)
                )
                if day.weekday() == 4:  # Friday
                    day += datetime.timedelta(days=1)
                start = datetime.datetime.combine(
                    day, datetime.time(rng.choice([9, 10, 12])), tzinfo=tz
                )
                session = TrainingSession(
                    topic=topic,
                    hospital=hospital,
                    venue=rng.choice(
                        [
                            "قاعة التدريب الرئيسية",
                            "قاعة المؤتمرات",
                            "معمل المحاكاة",
                            "قاعة الاجتماعات",
                        ]
                    ),
                    starts_at=start,
                    ends_at=start
                    + datetime.timedelta(
                        hours=float(topic.hours) if topic.hours <= 8 else 8
                    ),
                    capacity=30,
                    status=SessionStatus.HELD,
                )
                new_sessions.append(session)
    TrainingSession.objects.bulk_create(new_sessions, batch_size=500)
    for session in TrainingSession.objects.filter(
        status=SessionStatus.HELD, hospital__in=ctx.shared["hospitals"].values()
    ):
        sessions.setdefault((session.hospital_id, session.topic_id), []).append(session)
    for key in sessions:
        sessions[key].sort(key=lambda s: s.starts_at)
    code_of = {h.pk: c for c, h in ctx.shared["hospitals"].items()}
    for (hospital_id, _topic_id), items in sessions.items():
        trainer = trainers.get(code_of[hospital_id])
        if trainer:
            for s in items:
                s.trainers.add(trainer)

    attendance = []
    seen = set()

    def attend(member, topic, day, status, score=None, passed=True):
        options = sessions.get((member.hospital_id, topic.pk), [])
        best = min(
            options,
            key=lambda s: abs((timezone.localdate(s.starts_at) - day).days),
            default=None,
        )
        if best is None or (best.pk, member.pk) in seen:
            return
        seen.add((best.pk, member.pk))
        attendance.append(
            Attendance(
                session=best,
                staff=member,
                topic=topic,
                completed_on=timezone.localdate(best.starts_at),
                status=status,
                score=score,
                passed=passed,
            )
        )

    def pass_score(topic):
        return None if topic.pass_mark is None else rng.randint(topic.pass_mark, 100)

    for member in staff:
        specialty = member.ward.specialty if member.ward_id else None
        new_staff = (today - member.hire_date).days < 90
        for topic in topics.values():
            if not topic_requires(
                topic, job_category=member.job_category, specialty=specialty
            ):
                continue
            if new_staff:
                continue
            profile = _weighted(rng, PROFILES)
            months = topic.validity_months or 24
            validity_days = months * 30
            if profile == "compliant":
                day = today - datetime.timedelta(
                    days=rng.randint(20, max(21, validity_days - 45))
                )
            elif profile == "due":
                day = today - datetime.timedelta(
                    days=validity_days - rng.randint(2, 25)
                )
            elif profile == "expired":
                day = today - datetime.timedelta(
                    days=validity_days + rng.randint(15, 200)
                )
            elif profile == "failed" and topic.pass_mark is not None:
                day = today - datetime.timedelta(days=rng.randint(20, 200))
                attend(
                    member,
                    topic,
                    day,
                    AttendanceStatus.PRESENT,
                    rng.randint(30, topic.pass_mark - 1),
                    passed=False,
                )
                continue
            else:
                if rng.random() < 0.3:
                    attend(
                        member,
                        topic,
                        today - datetime.timedelta(days=rng.randint(20, 300)),
                        AttendanceStatus.ABSENT,
                        passed=False,
                    )
                continue
            attend(member, topic, day, AttendanceStatus.PRESENT, pass_score(topic))
    Attendance.objects.bulk_create(attendance, batch_size=1000)
    # Sessions nobody came to would only clutter the lists.
    TrainingSession.objects.filter(
        pk__in=[s.pk for items in sessions.values() for s in items]
    ).exclude(attendances__isnull=False).delete()
    return TrainingSession.objects.filter(
        status=SessionStatus.HELD, hospital__in=ctx.shared["hospitals"].values()
    ).count()


def _make_upcoming(ctx, rng, today, topics) -> None:
    """Today's and the coming fortnight's sessions, with bookings through the service."""
    tz = timezone.get_current_timezone()
    accounts = ctx.shared["accounts"]
    plan = [
        ("karnak", "IPC", 0, 9, 30, "trainer.karnak"),
        ("karnak", "BLS", 0, 13, 12, "trainer.karnak"),
        ("karnak", "FIRE", 2, 10, 40, "trainer.karnak"),
        ("karnak", "HH", 4, 9, 8, "trainer.karnak"),
        ("taiba", "IPC", 1, 10, 25, "trainer.taiba"),
        ("taiba", "GAHAR", 3, 11, 20, "trainer.taiba"),
        ("limc", "PS", 5, 10, 30, None),
        ("isis", "NRP", 6, 9, 15, None),
        ("horus", "WASTE", 8, 10, 20, None),
    ]
    from .selectors import staff_due_for_topic

    for code, topic_code, days, hour, capacity, trainer in plan:
        hospital = ctx.shared["hospitals"][code]
        topic = topics[topic_code]
        start = datetime.datetime.combine(
            today + datetime.timedelta(days=days), datetime.time(hour), tzinfo=tz
        )
        session = TrainingSession.objects.create(
            topic=topic,
            hospital=hospital,
            venue="قاعة التدريب الرئيسية" if hour < 12 else "معمل المحاكاة",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=min(float(topic.hours), 4)),
            capacity=capacity,
            registration_closes_at=start - datetime.timedelta(hours=1)
            if days
            else None,
        )
        if trainer and accounts.get(trainer):
            session.trainers.add(accounts[trainer])
        authority = accounts.get("authority")
        due = list(staff_due_for_topic(session=session, user=authority)[: capacity + 4])
        if days == 0:
            # Today's sessions: book before the cut-off as if done last week.
            registration_bulk(
                session=session,
                staff_members=due,
                registered_by=authority,
                now=start - datetime.timedelta(days=7),
            )
        else:
            registration_bulk(
                session=session, staff_members=due, registered_by=authority
            )
