"""Demo data: the five-year technical nursing curriculum (2021 version) and competencies.

Courses come from shared/reference/nursing-courses.csv (transcribed in
`curriculum/demo_data/nursing-courses.csv`). Idempotent: matched by codes.
"""

import csv
from pathlib import Path

from .models import (
    DEFAULT_GRADE_BANDS,
    Competency,
    Course,
    CurriculumVersion,
    GradeBand,
    Programme,
    YearRequirement,
)

DATA = Path(__file__).resolve().parent / "demo_data" / "nursing-courses.csv"

COMPETENCIES = [
    (1, "CP-HH", "نظافة الأيدي", "Hand hygiene"),
    (1, "CP-VS", "قياس العلامات الحيوية", "Vital signs"),
    (1, "CP-BED", "ترتيب سرير المريض ورعايته الأساسية", "Bed making and basic care"),
    (2, "CP-PPE", "ارتداء وخلع أدوات الوقاية الشخصية", "Donning and doffing PPE"),
    (2, "CP-TRF", "النقل الآمن للمريض", "Safe patient transfer"),
    (2, "CP-FA", "الإسعافات الأولية", "First aid"),
    (3, "CP-MED", "إعطاء الأدوية بأمان", "Safe medication administration"),
    (3, "CP-WND", "العناية بالجروح والغيارات", "Wound care and dressings"),
    (
        3,
        "CP-INJ",
        "الحقن العضلي وتحت الجلد",
        "Intramuscular and subcutaneous injection",
    ),
    (4, "CP-IV", "تركيب الكانيولا الوريدية", "IV cannulation"),
    (4, "CP-NEO", "رعاية حديثي الولادة", "Neonatal care"),
    (4, "CP-DEL", "المساعدة في الولادة الطبيعية", "Assisting normal delivery"),
    (4, "CP-PAED", "حساب جرعات الأطفال", "Paediatric dose calculation"),
    (5, "CP-CPR", "الإنعاش القلبي الرئوي", "Cardiopulmonary resuscitation (CPR)"),
    (5, "CP-ICU", "رعاية مريض العناية المركزة", "Care of the ventilated ICU patient"),
    (5, "CP-TRI", "الفرز في الطوارئ", "Emergency triage"),
    (5, "CP-HAND", "تسليم واستلام المناوبة", "Shift handover"),
]


def load(ctx) -> None:
    programme, _ = Programme.objects.get_or_create(
        code="nursing-diploma",
        defaults={
            "name_ar": "دبلوم التمريض الفني (خمس سنوات)",
            "name_en": "Technical nursing diploma (five years)",
        },
    )
    version, created = CurriculumVersion.objects.get_or_create(
        code="nursing-2021",
        defaults={
            "programme": programme,
            "name_ar": "لائحة التمريض الفني ٢٠٢١",
            "name_en": "Technical nursing curriculum 2021",
            "applies_from_intake": 2021,
            "max_failed_courses_carried": 2,
        },
    )
    ctx.shared["curriculum_version"] = version
    if not created or version.is_frozen:
        ctx.say("curriculum: the 2021 version is already there")
        return
    clinical_by_year: dict[int, int] = {}
    with DATA.open(encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle)):
            year = int(row["year"])
            practical = int(row["practical_hours"])
            clinical = int(row["clinical_hours"])
            Course.objects.create(
                version=version,
                year=year,
                code=row["code"],
                title_ar=row["title_ar"],
                title_en=row["title_en"],
                theory_hours=int(row["theory_hours"]),
                practical_hours=practical,
                clinical_hours=clinical,
                theory_max=100,
                theory_pass=50,
                practical_max=50 if practical else 0,
                practical_pass=25 if practical else 0,
                sort_order=order,
            )
            clinical_by_year[year] = clinical_by_year.get(year, 0) + clinical
    courses = {c.code: c for c in version.courses.all()}
    for later, earlier in (
        ("NUR201", "NUR101"),
        ("ANA201", "ANA101"),
        ("ENG201", "ENG101"),
        ("MSN301", "NUR201"),
        ("MSN401", "MSN301"),
        ("CCN501", "MSN401"),
    ):
        if later in courses and earlier in courses:
            courses[later].prerequisites.add(courses[earlier])
    for year, code, title_ar, title_en in COMPETENCIES:
        Competency.objects.create(
            version=version, year=year, code=code, title_ar=title_ar, title_en=title_en
        )
    for year in range(1, 6):
        YearRequirement.objects.create(
            version=version,
            year=year,
            required_clinical_hours=clinical_by_year.get(year, 0),
        )
    for percent, name_ar, name_en, passing in DEFAULT_GRADE_BANDS:
        GradeBand.objects.create(
            version=version,
            min_percent=percent,
            name_ar=name_ar,
            name_en=name_en,
            passing=passing,
        )
    ctx.say(f"curriculum: {len(courses)} courses, {len(COMPETENCIES)} competencies")
