"""Demo data: the Luxor hospitals, their four nursing institutes, wards, demo accounts.

Figures are from the source material (shared/reference/luxor.md). Idempotent: rows
are matched by code, accounts by username.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .access import Role
from .models import (
    AccreditationStatus,
    Hospital,
    Institute,
    RoleAssignment,
    Specialty,
    Ward,
)
from .services import EDITORIAL_GROUPS

HOSPITALS = [
    dict(
        code="karnak",
        name_ar="مستشفى الكرنك الدولي",
        name_en="Karnak International Hospital",
        specialty_ar="مستشفى عام من المستوى الثالث (مستشفى الأقصر العام سابقًا)",
        specialty_en="Tertiary general hospital (formerly Luxor General)",
        city_ar="الأقصر",
        city_en="Luxor",
        accreditation_status=AccreditationStatus.ACCREDITED,
        accreditation_date=datetime.date(2023, 6, 1),
        beds=201,
        icu_beds=57,
        incubators=30,
        dialysis_machines=60,
        operating_rooms=6,
        outpatient_clinics=22,
        hotline="15344",
    ),
    dict(
        code="limc",
        name_ar="مجمع الأقصر الطبي الدولي",
        name_en="Luxor International Medical Complex",
        specialty_ar="مجمع طبي دولي: طوارئ وحروق وأورام وزراعة نخاع",
        specialty_en="International complex: emergency, burns, oncology, bone-marrow transplant",
        city_ar="الأقصر",
        city_en="Luxor",
        accreditation_status=AccreditationStatus.ACCREDITED,
        accreditation_date=datetime.date(2022, 11, 15),
        beds=560,
        hotline="15344",
    ),
    dict(
        code="isis",
        name_ar="مستشفى إيزيس التخصصي",
        name_en="Isis Specialized Hospital",
        specialty_ar="النساء والتوليد (مستشفى البياضية سابقًا)",
        specialty_en="Obstetrics and gynaecology (formerly Al-Bayadiya)",
        city_ar="الأقصر",
        city_en="Luxor",
        accreditation_status=AccreditationStatus.ACCREDITED,
        accreditation_date=datetime.date(2023, 2, 20),
        beds=28,
        icu_beds=10,
        incubators=30,
        dialysis_machines=26,
        operating_rooms=4,
        outpatient_clinics=20,
    ),
    dict(
        code="horus",
        name_ar="مستشفى حورس التخصصي (أرمنت)",
        name_en="Horus Specialized Hospital (Armant)",
        specialty_ar="مستشفى تخصصي من المستوى الثالث — جراحة التجميل والقسطرة المخية",
        specialty_en="Tertiary specialised hospital — plastic surgery, cerebral catheterisation",
        city_ar="أرمنت",
        city_en="Armant",
        accreditation_status=AccreditationStatus.PRELIMINARY,
        beds=154,
        icu_beds=27,
        incubators=13,
        dialysis_machines=22,
        operating_rooms=4,
    ),
    dict(
        code="taiba",
        name_ar="مستشفى طيبة التخصصي",
        name_en="Taiba Specialized Hospital",
        specialty_ar="مستشفى تخصصي يخدم 650 ألف نسمة",
        specialty_en="Specialised hospital serving 650,000 people",
        city_ar="إسنا",
        city_en="Esna",
        accreditation_status=AccreditationStatus.PRELIMINARY,
        opened_on=datetime.date(2021, 2, 1),
        beds=154,
        icu_beds=39,
        dialysis_machines=24,
        outpatient_clinics=16,
        emergency_rooms=21,
    ),
    dict(
        code="adaisat",
        name_ar="مستشفى العديسات التخصصي",
        name_en="Al-Adaisat Specialized Hospital",
        specialty_ar="جراحة الأطفال والقسطرة القلبية والعظام وزراعة القوقعة",
        specialty_en="Paediatric surgery, cardiac catheterisation, orthopaedics, cochlear implants",
        city_ar="الطود",
        city_en="El-Tod",
        accreditation_status=AccreditationStatus.NONE,
        opened_on=datetime.date(2020, 1, 18),
    ),
]

# (hospital code, specialty, Arabic, English, student places)
WARDS = [
    ("karnak", Specialty.ICU, "العناية المركزة", "Intensive care unit", 6),
    ("karnak", Specialty.ICU, "الرعاية القلبية المركزة", "Coronary care unit", 4),
    ("karnak", Specialty.NICU, "الحضانات", "Neonatal incubators", 4),
    ("karnak", Specialty.DIALYSIS, "الغسيل الكلوي", "Dialysis unit", 6),
    ("karnak", Specialty.OR, "العمليات", "Operating theatres", 6),
    ("karnak", Specialty.ER, "الطوارئ", "Emergency department", 8),
    ("karnak", Specialty.MEDICAL, "الباطنة العامة", "General medicine", 10),
    ("karnak", Specialty.SURGICAL, "الجراحة العامة", "General surgery", 10),
    ("limc", Specialty.ER, "الطوارئ", "Emergency department", 10),
    ("limc", Specialty.BURNS, "الحروق", "Burns unit", 4),
    ("limc", Specialty.ICU, "الرعاية الحرجة", "Critical care", 8),
    ("limc", Specialty.OBSTETRICS, "النساء والتوليد", "Obstetrics", 8),
    ("limc", Specialty.NICU, "حضانات المبتسرين", "Premature-baby incubators", 6),
    ("limc", Specialty.ONCOLOGY, "الأورام", "Oncology", 6),
    ("limc", Specialty.DIALYSIS, "مبنى الغسيل الكلوي", "Dialysis building", 8),
    ("isis", Specialty.OBSTETRICS, "الولادة", "Labour ward", 6),
    ("isis", Specialty.OBSTETRICS, "أمراض النساء", "Gynaecology", 4),
    ("isis", Specialty.NICU, "الحضانات", "Neonatal incubators", 6),
    ("isis", Specialty.ICU, "العناية المركزة", "Intensive care unit", 3),
    ("isis", Specialty.OR, "العمليات", "Operating theatres", 4),
    ("isis", Specialty.DIALYSIS, "الغسيل الكلوي", "Dialysis unit", 4),
    ("horus", Specialty.ICU, "العناية المركزة", "Intensive care unit", 5),
    ("horus", Specialty.OR, "العمليات", "Operating theatres", 4),
    ("horus", Specialty.NICU, "الحضانات", "Neonatal incubators", 3),
    ("horus", Specialty.DIALYSIS, "الغسيل الكلوي", "Dialysis unit", 4),
    ("horus", Specialty.SURGICAL, "جراحة التجميل", "Plastic surgery", 3),
    ("horus", Specialty.MEDICAL, "الباطنة", "Internal medicine", 8),
    ("horus", Specialty.ER, "الطوارئ", "Emergency department", 6),
    ("taiba", Specialty.ICU, "العناية المركزة", "Intensive care unit", 6),
    ("taiba", Specialty.ER, "الطوارئ", "Emergency department", 10),
    ("taiba", Specialty.DIALYSIS, "الغسيل الكلوي", "Dialysis unit", 5),
    ("taiba", Specialty.SURGICAL, "الجراحة", "Surgery", 8),
    ("taiba", Specialty.MEDICAL, "الباطنة", "Internal medicine", 8),
    ("adaisat", Specialty.PAEDIATRICS, "جراحة الأطفال", "Paediatric surgery", 6),
    ("adaisat", Specialty.PAEDIATRICS, "الأطفال", "Paediatrics", 8),
    ("adaisat", Specialty.ICU, "القسطرة القلبية", "Cardiac catheterisation", 2),
    ("adaisat", Specialty.ORTHOPAEDICS, "العظام", "Orthopaedics", 4),
]

INSTITUTES = [
    dict(
        code="karnak-nursing",
        hospital="karnak",
        name_ar="المعهد الفني للتمريض بمستشفى الكرنك الدولي",
        name_en="Technical Nursing Institute — Karnak International Hospital",
        founded_year=1998,
        intake_capacity=60,
        partners=["taiba", "adaisat", "isis"],
        phone="095 237 0000",
    ),
    dict(
        code="limc-nursing",
        hospital="limc",
        name_ar="المعهد الفني للتمريض بمجمع الأقصر الطبي الدولي",
        name_en="Technical Nursing Institute — Luxor International Medical Complex",
        founded_year=2016,
        intake_capacity=60,
        partners=["karnak", "taiba"],
        phone="095 228 0000",
    ),
    dict(
        code="isis-nursing",
        hospital="isis",
        name_ar="المعهد الفني للتمريض بمستشفى إيزيس التخصصي",
        name_en="Technical Nursing Institute — Isis Specialized Hospital",
        founded_year=2019,
        intake_capacity=50,
        partners=["adaisat", "karnak"],
        phone="095 236 0000",
    ),
    dict(
        code="horus-nursing",
        hospital="horus",
        name_ar="المعهد الفني للتمريض بمستشفى حورس التخصصي بأرمنت",
        name_en="Technical Nursing Institute — Horus Specialized Hospital (Armant)",
        founded_year=2005,
        intake_capacity=50,
        partners=["taiba"],
        phone="095 241 0000",
    ),
]

# username, first name, last name, role, scope code (ward: "hospital:english name")
ACCOUNTS = [
    ("admin.karnak", "منى", "الطيب", Role.INSTITUTE_ADMIN, "karnak-nursing"),
    ("admin.limc", "خالد", "عثمان", Role.INSTITUTE_ADMIN, "limc-nursing"),
    ("admin.isis", "هدى", "عبد الرحيم", Role.INSTITUTE_ADMIN, "isis-nursing"),
    ("admin.horus", "طارق", "الأرمنتي", Role.INSTITUTE_ADMIN, "horus-nursing"),
    ("trainer.karnak", "إيمان", "القاضي", Role.TRAINER, "karnak"),
    ("trainer.taiba", "ياسر", "أبو زيد", Role.TRAINER, "taiba"),
    ("supervisor.isis", "رحاب", "حسانين", Role.SUPERVISOR, "isis:Labour ward"),
    (
        "supervisor.karnak",
        "عادل",
        "الشريف",
        Role.SUPERVISOR,
        "karnak:Intensive care unit",
    ),
]


def load(ctx) -> None:
    hospitals = {}
    for data in HOSPITALS:
        data = dict(data)
        code = data.pop("code")
        hospital, _ = Hospital.objects.update_or_create(code=code, defaults=data)
        hospitals[code] = hospital
    wards = {}
    for code, specialty, name_ar, name_en, places in WARDS:
        ward, _ = Ward.objects.update_or_create(
            hospital=hospitals[code],
            name_ar=name_ar,
            defaults={
                "name_en": name_en,
                "specialty": specialty,
                "student_capacity": places,
            },
        )
        wards[(code, name_en)] = ward
    institutes = {}
    for data in INSTITUTES:
        data = dict(data)
        code = data.pop("code")
        partners = data.pop("partners")
        data["hospital"] = hospitals[data["hospital"]]
        data["email"] = f"{code}@nursing.example"
        institute, _ = Institute.objects.update_or_create(code=code, defaults=data)
        institute.partner_hospitals.set([hospitals[p] for p in partners])
        institutes[code] = institute
    ctx.shared.update(hospitals=hospitals, wards=wards, institutes=institutes)
    ctx.shared["accounts"] = _accounts(hospitals, wards, institutes)
    ctx.say(
        f"  {len(hospitals)} hospitals, {len(wards)} wards, {len(institutes)} institutes, "
        f"{len(ctx.shared['accounts'])} demo accounts"
    )


def _accounts(hospitals, wards, institutes) -> dict:
    User = get_user_model()
    password = settings.DEMO_PASSWORD
    users = {}

    def account(username, first, last, **flags):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@nursing.example",
            },
        )
        for key, value in flags.items():
            setattr(user, key, value)
        user.set_password(password)
        user.save()
        users[username] = user
        return user

    account("authority", "سلمى", "المصري", is_superuser=True, is_staff=True)
    for username, first, last, role, scope in ACCOUNTS:
        user = account(username, first, last)
        target = {}
        if role == Role.INSTITUTE_ADMIN:
            target["institute"] = institutes[scope]
        elif role == Role.TRAINER:
            target["hospital"] = hospitals[scope]
        else:
            hospital_code, ward_name = scope.split(":")
            target["ward"] = wards[(hospital_code, ward_name)]
        RoleAssignment.objects.get_or_create(user=user, role=role, **target)
    editor = account("editor", "نور", "الصعيدي")
    moderator = account("moderator", "مروة", "الأنصاري")
    for user, role in ((editor, "editor"), (moderator, "moderator")):
        group = Group.objects.filter(name=EDITORIAL_GROUPS[role]).first()
        if group is not None:
            user.groups.add(group)
    return users
