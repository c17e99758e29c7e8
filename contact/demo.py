"""Demo data of the contact centre: offices, topics, staff of the desk and a realistic
set of requests in every state over the last six months.

Idempotent: offices by kind and place, topics by code, accounts by username, the five
hand-written requests by subject, the generated ones once (by their marker subject).
Requests go through the services (so routing, deadlines, history and messages are
real) and are then moved back in time.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from institutes.models import Hospital, Institute

from . import services
from .figures import figures_rebuild
from .models import (
    ContactChannel,
    ContactRequest,
    ContactRequestEvent,
    ContactStatus,
    Office,
    OfficeKind,
    OfficeMember,
    Topic,
)

TOPICS = [
    # code, Arabic, English, days, owner ("authority", "patients", None = the place)
    ("appointments", "المواعيد والحجز", "Appointments and booking", 3, None),
    ("staff-conduct", "سلوك العاملين", "Staff conduct", 7, "patients"),
    ("waiting", "أوقات الانتظار", "Waiting times", 5, "patients"),
    ("medicines", "توفر الأدوية", "Medicines", 3, None),
    ("cleanliness", "النظافة", "Cleanliness", 3, None),
    ("billing", "الفواتير والتأمين الصحي", "Billing and insurance", 10, "finance"),
    ("education", "التدريب والتعليم", "Training and education", 7, None),
    ("suggestions", "مقترحات لتحسين الخدمة", "Suggestions for services", 14, "quality"),
]

DEPARTMENTS = [
    # key, Arabic, English, handles confidential
    ("patients", "إدارة شؤون المرضى", "Patient affairs", False),
    ("finance", "الإدارة المالية والتأمين", "Finance and insurance", False),
    ("quality", "إدارة الجودة", "Quality management", False),
    ("staff-affairs", "شؤون العاملين (سري)", "Staff affairs (confidential)", True),
]

DESK_ACCOUNTS = [
    # username, first, last, office ("authority" or a department key), head
    ("agent", "سمر", "الحسيني", "authority", False),
    ("agent.night", "أحمد", "الجبالي", "authority", False),
    ("quality.head", "رشا", "المنشاوي", "quality", True),
]

CONTACT_REQUESTS = [
    # (kind, concerns ("i", code) or ("h", code) or None, subject, message, name, phone, email, status, answer)
    (
        "inquiry",
        ("i", "karnak-nursing"),
        "موعد التقديم في المعهد",
        "متى يبدأ التقديم في معهد التمريض الفني بمستشفى الكرنك، وما الأوراق المطلوبة؟",
        "محمود عبد الرحمن",
        "01001234567",
        "",
        "answered",
        "يبدأ التقديم في أول يوليو. الأوراق: شهادة الإعدادية، شهادة الميلاد، ست صور شخصية، وصورة بطاقة ولي الأمر.",
    ),
    (
        "complaint",
        ("h", "karnak"),
        "طول الانتظار في العيادات الخارجية",
        "انتظرت أكثر من ثلاث ساعات في عيادة الباطنة يوم الأحد دون أن يخبرنا أحد بسبب التأخير.",
        "فاطمة حسن",
        "01117654321",
        "",
        "assigned",
        "",
    ),
    (
        "suggestion",
        None,
        "لافتات إرشادية بطريقة برايل",
        "أقترح إضافة لافتات بطريقة برايل عند مداخل المستشفيات ومكاتب الاستقبال.",
        "",
        "",
        "reader@example.org",
        "new",
        "",
    ),
    (
        "report",
        ("h", "isis"),
        "عطل في المصعد",
        "المصعد الرئيسي في مبنى الولادة متوقف منذ يومين والحوامل يصعدن السلم.",
        "سعاد أحمد",
        "01229876543",
        "",
        "closed",
        "تم إصلاح المصعد في نفس اليوم، ونشكرك على البلاغ.",
    ),
    (
        "inquiry",
        ("i", "isis-nursing"),
        "Training placements for students",
        "Do students of the Isis institute train in the labour ward from the second year?",
        "Sara Nabil",
        "",
        "sara.nabil@example.org",
        "new",
        "",
    ),
]


# (kind, topic, place kind, subject, message) drawn from to make the generated set.
SCENARIOS = [
    (
        "complaint",
        "waiting",
        "h",
        "انتظار طويل في العيادات الخارجية",
        "انتظرت أكثر من ثلاث ساعات دون أن يخبرنا أحد بسبب التأخير.",
    ),
    (
        "complaint",
        "staff-conduct",
        "h",
        "معاملة غير لائقة في الاستقبال",
        "موظف الاستقبال رفع صوته على والدتي المسنة.",
    ),
    (
        "complaint",
        "cleanliness",
        "h",
        "دورات المياه غير نظيفة",
        "دورات المياه في الدور الثاني بلا صابون ولا مياه.",
    ),
    (
        "complaint",
        "medicines",
        "h",
        "دواء الضغط غير متوفر",
        "لم أجد دواء الضغط في صيدلية المستشفى للمرة الثانية هذا الشهر.",
    ),
    (
        "report",
        "cleanliness",
        "h",
        "تسرب مياه في الممر",
        "يوجد تسرب مياه قرب قسم الأشعة والأرض زلقة.",
    ),
    (
        "inquiry",
        "appointments",
        "h",
        "حجز موعد عيادة العظام",
        "كيف أحجز موعدًا في عيادة العظام؟ هل يمكن الحجز بالهاتف؟",
    ),
    (
        "inquiry",
        "education",
        "i",
        "شروط القبول بالمعهد",
        "ما شروط القبول في المعهد الفني للتمريض والمجموع المطلوب؟",
    ),
    (
        "inquiry",
        "billing",
        None,
        "تغطية التأمين الصحي للغسيل الكلوي",
        "هل يغطي التأمين الصحي جلسات الغسيل الكلوي بالكامل؟",
    ),
    (
        "suggestion",
        "suggestions",
        None,
        "نظام أرقام للانتظار",
        "أقترح شاشة أرقام في صالة الانتظار بدل النداء بالأسماء.",
    ),
    (
        "complaint",
        "billing",
        "h",
        "فاتورة بمبلغ خاطئ",
        "حُسبت علي أشعة لم أُجرِها في فاتورة الخروج.",
    ),
    (
        "inquiry",
        "appointments",
        "h",
        "مواعيد عيادة النساء",
        "ما مواعيد عيادة النساء والتوليد يوم الخميس؟",
    ),
    (
        "report",
        "staff-conduct",
        "h",
        "غياب الطبيب المناوب",
        "لم يكن في قسم الطوارئ طبيب مناوب من الثانية حتى الرابعة فجرًا.",
    ),
]

NAMES = [
    ("محمد عبد الله", "01001112233"),
    ("فاطمة السيد", "01112223344"),
    ("أحمد حسن", "01223334455"),
    ("منى إبراهيم", "01554445566"),
    ("خالد محمود", "01065556677"),
    ("سعاد عبد الرحيم", "01176667788"),
    ("يوسف الأنصاري", "01287778899"),
    ("هبة مصطفى", "01598889900"),
    ("عمر القناوي", "01009990011"),
    ("نجلاء الطيب", "01110001122"),
]

ANSWERS = {
    "waiting": "نعتذر عن التأخير. أُضيف طبيب ثانٍ لعيادة الباطنة أيام الأحد والثلاثاء.",
    "staff-conduct": "تم التحقيق مع الموظف ولفت نظره، ونعتذر لوالدتك.",
    "cleanliness": "تمت معالجة المشكلة وتعديل جدول النظافة في الدور الثاني.",
    "medicines": "وصلت شحنة الدواء ويمكنك صرفه من صيدلية المستشفى.",
    "appointments": "يمكنك الحجز على الخط الساخن أو من شباك الحجز يوميًا من الثامنة صباحًا.",
    "education": "القبول بشهادة الإعدادية، والتقديم في يوليو، والتفاصيل على صفحة المعهد.",
    "billing": "راجعنا الفاتورة وتم تصحيحها؛ يمكنك استرداد الفرق من الخزينة.",
    "suggestions": "شكرًا على المقترح، أُحيل إلى إدارة الجودة لدراسته ضمن خطة هذا العام.",
}


def _offices(hospitals, institutes) -> dict:
    authority = services.authority_office()
    if not authority.email:
        authority.email = "contact-centre@nursing.example"
        authority.save()
    offices = {"authority": authority}
    for key, name_ar, name_en, confidential in DEPARTMENTS:
        office, _created = Office.objects.get_or_create(
            kind=OfficeKind.DEPARTMENT,
            parent=authority,
            name_ar=name_ar,
            defaults={"name_en": name_en, "handles_confidential": confidential},
        )
        offices[key] = office
    for code, hospital in hospitals.items():
        offices[f"h:{code}"] = services.office_for_place(hospital=hospital)
    for code, institute in institutes.items():
        offices[f"i:{code}"] = services.office_for_place(institute=institute)
    return offices


def _topics(offices) -> dict:
    topics = {}
    for order, (code, name_ar, name_en, days, owner) in enumerate(TOPICS):
        topic, _created = Topic.objects.get_or_create(
            code=code,
            defaults={
                "name_ar": name_ar,
                "name_en": name_en,
                "target_days": days,
                "default_office": offices.get(owner) if owner else None,
                "order": order,
            },
        )
        topics[code] = topic
    return topics


def _desk_accounts(offices, accounts) -> dict:
    User = get_user_model()
    desk = {}
    for username, first, last, office_key, head in DESK_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@nursing.example",
            },
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        OfficeMember.objects.get_or_create(
            office=offices[office_key], user=user, defaults={"is_head": head}
        )
        desk[username] = user
    authority = accounts.get("authority")
    if authority is not None:
        for key in ("authority", "staff-affairs"):
            OfficeMember.objects.get_or_create(
                office=offices[key], user=authority, defaults={"is_head": True}
            )
    # Institute administrators and hospital trainers head their place's office.
    for username, user in accounts.items():
        place = None
        if username.startswith("admin."):
            place = user.role_assignments.filter(institute__isnull=False).first()
            key = f"i:{place.institute.code}" if place else None
        elif username.startswith("trainer."):
            place = user.role_assignments.filter(hospital__isnull=False).first()
            key = f"h:{place.hospital.code}" if place else None
        if place is not None and key in offices:
            OfficeMember.objects.get_or_create(
                office=offices[key], user=user, defaults={"is_head": True}
            )
    return desk


def _backdate(request: ContactRequest, received: datetime.datetime) -> None:
    """Move a request made now back to `received`, keeping its steps' spacing."""
    from notifications.models import DeliveryStatus, Notification

    shift = request.created_at - received
    # Every step's time moves with it (an answer written "now" for a request received
    # in June would count as answered in December on the figures).
    ContactRequest.objects.filter(pk=request.pk).update(
        created_at=received,
        consent_at=received,
        due_at=request.due_at - shift if request.due_at else None,
        answered_at=F("answered_at") - shift,
        closed_at=F("closed_at") - shift,
        rated_at=F("rated_at") - shift,
        escalated_at=F("escalated_at") - shift,
    )
    for event in ContactRequestEvent.objects.filter(request=request):
        ContactRequestEvent.objects.filter(pk=event.pk).update(at=event.at - shift)
    # In the demo's past, the messages went out at the time.
    Notification.objects.filter(
        about_id=request.pk, about_label=request.reference
    ).update(
        status=DeliveryStatus.SENT, sent_at=received, attempts=1, next_attempt_at=None
    )


def _finish(request, status, answer, handler, answered_after, rng):
    """Bring a new request to `status` through the services; returns it."""
    if status in ("answered", "closed", "reopened", "rated"):
        services.contact_request_answer(
            contact_request=request, answer=answer, actor=handler
        )
        ContactRequest.objects.filter(pk=request.pk).update(
            answered_at=request.created_at + answered_after,
            hours_to_answer=int(answered_after.total_seconds() // 3600),
        )
        request.refresh_from_db()
    if status == "closed":
        services.contact_request_set_status(
            contact_request=request, status=ContactStatus.CLOSED, actor=handler
        )
    if status == "in_progress":
        services.contact_request_set_status(
            contact_request=request, status=ContactStatus.IN_PROGRESS, actor=handler
        )
    if status == "needs_info":
        services.contact_request_set_status(
            contact_request=request,
            status=ContactStatus.NEEDS_INFO,
            note="نرجو إرسال تاريخ الزيارة واسم العيادة.",
            actor=handler,
        )
    if status in ("closed", "answered") and rng.random() < 0.65:
        services.contact_request_rate(
            contact_request=request,
            resolution=rng.choices(["yes", "partly", "no"], weights=[6, 2, 2])[0],
        )
    return request


def _handler_for(request, accounts, desk):
    office = request.office
    member = office.members.select_related("user").order_by("-is_head").first()
    if member is not None:
        return member.user
    return accounts.get("authority") or desk.get("agent")


def load(ctx) -> None:
    hospitals = {h.code: h for h in Hospital.objects.all()}
    institutes = {i.code: i for i in Institute.objects.all()}
    accounts = ctx.shared.get("accounts", {})
    offices = _offices(hospitals, institutes)
    topics = _topics(offices)
    desk = _desk_accounts(offices, accounts)
    now = timezone.now()
    made = 0

    for (
        kind,
        concerns,
        subject,
        message,
        name,
        phone,
        email,
        status,
        answer,
    ) in CONTACT_REQUESTS:
        if ContactRequest.objects.filter(subject=subject).exists():
            continue
        institute = hospital = None
        if concerns and concerns[0] == "i":
            institute = institutes.get(concerns[1])
        elif concerns:
            hospital = hospitals.get(concerns[1])
        request = services.contact_request_submit(
            kind=kind,
            subject=subject,
            message=message,
            institute=institute,
            hospital=hospital,
            name=name,
            phone=phone,
            email=email,
            language="en" if subject.isascii() else "ar",
        )
        handler = _handler_for(request, accounts, desk)
        _finish(request, status, answer, handler, datetime.timedelta(hours=30), ctx.rng)
        _backdate(request, now - datetime.timedelta(days=2, hours=made))
        made += 1

    agent = desk.get("agent")
    if not ContactRequest.objects.filter(taken_by=agent).exists():
        rng = ctx.rng
        hospital_list = sorted(hospitals.values(), key=lambda h: h.code)
        institute_list = sorted(institutes.values(), key=lambda i: i.code)
        for _n in range(90):
            kind, topic_code, place, subject, message = rng.choice(SCENARIOS)
            name, phone = rng.choice(NAMES)
            topic = topics[topic_code]
            age = datetime.timedelta(days=rng.uniform(0.2, 175))
            channel = rng.choice(
                [ContactChannel.WEB, ContactChannel.PHONE, ContactChannel.PHONE]
                + [ContactChannel.WALK_IN]
            )
            request = services.contact_request_submit(
                kind=kind,
                subject=subject,
                message=message,
                institute=rng.choice(institute_list) if place == "i" else None,
                hospital=rng.choice(hospital_list) if place == "h" else None,
                name=name,
                phone=phone,
                topic=topic,
                channel=channel,
                taken_by=agent if channel != ContactChannel.WEB else None,
                notify_email=False,
            )
            target = datetime.timedelta(days=topic.target_days)
            if age > target * 1.5:
                status = rng.choices(
                    ["closed", "answered", "in_progress"], weights=[6, 3, 1]
                )[0]
            elif age > target * 0.5:
                status = rng.choice(
                    ["answered", "in_progress", "needs_info", "assigned"]
                )
            else:
                status = rng.choice(["assigned", "in_progress"])
            # Answer times: most within target, some late.
            answered_after = min(age * 0.9, target * rng.uniform(0.15, 1.4))
            handler = _handler_for(request, accounts, desk)
            _finish(request, status, ANSWERS[topic_code], handler, answered_after, rng)
            _backdate(request, now - age)
            made += 1
        # One requester who was not satisfied and reopened.
        reopened = (
            ContactRequest.objects.filter(status=ContactStatus.ANSWERED, resolution="")
            .order_by("-created_at")
            .first()
        )
        if reopened is not None:
            ContactRequest.objects.filter(pk=reopened.pk).update(
                answered_at=now - datetime.timedelta(days=1)
            )
            reopened.refresh_from_db()
            services.contact_request_reopen(
                contact_request=reopened,
                reason="ما زالت المشكلة قائمة بعد أسبوع.",
            )
        # A confidential staff matter, seen only by the staff-affairs office.
        employee = accounts.get("trainer.taiba")
        if employee is not None:
            services.contact_request_submit(
                kind="complaint",
                subject="تكليف بمناوبات متتالية دون راحة",
                message="كُلفت بثلاث مناوبات ليلية متتالية هذا الشهر دون يوم راحة.",
                name=employee.get_full_name(),
                email=employee.email,
                channel=ContactChannel.STAFF,
                raised_by=employee,
                confidential=True,
                language="ar",
            )
            made += 1
    # Both steps (head, then authority) for requests long overdue.
    escalated = services.contact_requests_escalate(now=now)
    escalated += services.contact_requests_escalate(now=now)
    # The requests were back-dated above without the services: count them again.
    figures_rebuild()
    ctx.say(
        f"  {len(offices)} offices, {len(topics)} topics, {made} contact requests, "
        f"{escalated} escalations"
    )
