"""Hospitals, the institutes attached to them, their wards, and who may act on them.

This app is the base of the project: it imports no other app of ours. Every scoped
model in the project declares an `access_rule` (see `institutes.access`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from .access import AccessRule, Paths, Role
from .arabic import normalize_for_search
from .bilingual import BilingualNameMixin
from .identity import Country, DocumentType
from .national_id import Governorate, Sex, parse_national_id, validate_national_id
from .plain_text import validate_visible_text


class SearchTextMixin(models.Model):
    """A normalised copy of the names people search by (see `institutes.arabic`)."""

    search_text = models.TextField(
        editable=False, blank=True, default="", db_index=False
    )
    search_source_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        self.search_text = normalize_for_search(
            *(getattr(self, name, "") for name in self.search_source_fields)
        )


class AccreditationStatus(models.TextChoices):
    NONE = "none", _("Not accredited")
    PRELIMINARY = "preliminary", _("Preliminary accreditation")
    ACCREDITED = "accredited", _("Accredited")


class Hospital(BilingualNameMixin, SearchTextMixin):
    """A hospital of the health authority. Edited by authority staff in Settings → Hospitals."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    governorate = models.CharField(
        _("governorate"),
        max_length=2,
        choices=Governorate.choices,
        default=Governorate.LUXOR,
    )
    city_ar = models.CharField(_("city (Arabic)"), max_length=100, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=100, blank=True)
    specialty_ar = models.CharField(_("specialty (Arabic)"), max_length=200, blank=True)
    specialty_en = models.CharField(
        _("specialty (English)"), max_length=200, blank=True
    )
    accreditation_status = models.CharField(
        _("accreditation status"),
        max_length=20,
        choices=AccreditationStatus.choices,
        default=AccreditationStatus.NONE,
    )
    accreditation_date = models.DateField(
        _("accreditation date"), null=True, blank=True
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    beds = models.PositiveIntegerField(_("beds"), default=0)
    icu_beds = models.PositiveIntegerField(_("ICU beds"), default=0)
    incubators = models.PositiveIntegerField(_("incubators"), default=0)
    dialysis_machines = models.PositiveIntegerField(_("dialysis machines"), default=0)
    operating_rooms = models.PositiveIntegerField(_("operating rooms"), default=0)
    outpatient_clinics = models.PositiveIntegerField(_("outpatient clinics"), default=0)
    emergency_rooms = models.PositiveIntegerField(_("emergency rooms"), default=0)
    hotline = models.CharField(_("hotline"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address_ar = models.CharField(_("address (Arabic)"), max_length=255, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=255, blank=True)

    search_source_fields = ("name_ar", "name_en", "code", "city_ar", "city_en")
    access_rule = AccessRule(
        view=Paths(
            institute=("institutes", "partner_institutes"),
            hospital=("pk",),
            ward=("wards",),
        ),
        change=Paths(),
    )
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
                FieldRowPanel([FieldPanel("specialty_ar"), FieldPanel("specialty_en")]),
                FieldRowPanel(
                    [
                        FieldPanel("governorate"),
                        FieldPanel("city_ar"),
                        FieldPanel("city_en"),
                    ]
                ),
                FieldRowPanel([FieldPanel("opened_on")]),
            ],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("accreditation_status"),
                        FieldPanel("accreditation_date"),
                    ]
                ),
            ],
            heading=_("Accreditation"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("beds"),
                        FieldPanel("icu_beds"),
                        FieldPanel("incubators"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("dialysis_machines"),
                        FieldPanel("operating_rooms"),
                        FieldPanel("outpatient_clinics"),
                        FieldPanel("emergency_rooms"),
                    ]
                ),
            ],
            heading=_("Capacity"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("hotline"), FieldPanel("phone"), FieldPanel("email")]
                ),
                FieldRowPanel([FieldPanel("address_ar"), FieldPanel("address_en")]),
            ],
            heading=_("Contacts"),
        ),
    ]

    class Meta:
        verbose_name = _("hospital")
        verbose_name_plural = _("hospitals")
        ordering = ["name_ar"]

    def __str__(self) -> str:
        return self.name


class Institute(BilingualNameMixin, SearchTextMixin):
    """A technical nursing institute attached to a hospital (five-year programme).

    Edited by authority staff; its own administrators may update contacts.
    """

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    hospital = models.ForeignKey(
        Hospital,
        verbose_name=_("attached hospital"),
        on_delete=models.PROTECT,
        related_name="institutes",
    )
    partner_hospitals = models.ManyToManyField(
        Hospital,
        verbose_name=_("partner hospitals"),
        related_name="partner_institutes",
        blank=True,
        help_text=_(
            "Hospitals whose wards take this institute's students for placements."
        ),
    )
    founded_year = models.PositiveSmallIntegerField(
        _("founded in"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    intake_capacity = models.PositiveIntegerField(
        _("yearly intake capacity"), default=60, validators=[MinValueValidator(1)]
    )
    director_name = models.CharField(_("director"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address_ar = models.CharField(_("address (Arabic)"), max_length=255, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=255, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    search_source_fields = ("name_ar", "name_en", "code")
    access_rule = AccessRule(
        view=Paths(institute=("pk",)),
        change=Paths(institute=("pk",)),
        add=Paths(),
        delete=Paths(),
    )
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
                FieldRowPanel(
                    [
                        FieldPanel("hospital"),
                        FieldPanel("founded_year"),
                        FieldPanel("intake_capacity"),
                    ]
                ),
                FieldPanel("partner_hospitals"),
                FieldPanel("logo"),
            ],
            heading=_("Institute"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("director_name"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldRowPanel([FieldPanel("address_ar"), FieldPanel("address_en")]),
            ],
            heading=_("Contacts"),
        ),
    ]

    class Meta:
        verbose_name = _("institute")
        verbose_name_plural = _("institutes")
        ordering = ["name_ar"]

    def __str__(self) -> str:
        return self.name

    def training_hospital_ids(self) -> set[int]:
        """The attached hospital and every partner: where students may be placed."""
        ids = set(self.partner_hospitals.values_list("pk", flat=True))
        ids.add(self.hospital_id)
        return ids


class Specialty(models.TextChoices):
    ICU = "icu", _("Intensive care (ICU/CCU)")
    NICU = "nicu", _("Neonatal intensive care (incubators)")
    DIALYSIS = "dialysis", _("Dialysis")
    OR = "or", _("Operating rooms")
    ER = "er", _("Emergency")
    OBSTETRICS = "obstetrics", _("Obstetrics and gynaecology")
    PAEDIATRICS = "paediatrics", _("Paediatrics")
    MEDICAL = "medical", _("Internal medicine")
    SURGICAL = "surgical", _("General surgery")
    ORTHOPAEDICS = "orthopaedics", _("Orthopaedics")
    BURNS = "burns", _("Burns")
    ONCOLOGY = "oncology", _("Oncology")
    OUTPATIENT = "outpatient", _("Outpatient clinics")
    PSYCHIATRY = "psychiatry", _("Psychiatry")
    COMMUNITY = "community", _("Community and family health")


class Ward(BilingualNameMixin, SearchTextMixin):
    """A ward or clinical unit of a hospital and how many students it takes at once."""

    hospital = models.ForeignKey(
        Hospital,
        verbose_name=_("hospital"),
        on_delete=models.PROTECT,
        related_name="wards",
    )
    specialty = models.CharField(
        _("specialty"), max_length=20, choices=Specialty.choices
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    student_capacity = models.PositiveSmallIntegerField(
        _("student places"),
        default=4,
        help_text=_(
            "How many students the ward can take at the same time on one shift."
        ),
    )
    floor = models.CharField(_("floor"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    search_source_fields = ("name_ar", "name_en")
    access_rule = AccessRule(
        view=Paths(
            institute=("hospital__institutes", "hospital__partner_institutes"),
            hospital=("hospital",),
            ward=("pk",),
        ),
        change=Paths(),
    )
    panels = [
        FieldPanel("hospital"),
        FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
        FieldRowPanel(
            [
                FieldPanel("specialty"),
                FieldPanel("student_capacity"),
                FieldPanel("floor"),
            ]
        ),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        ordering = ["hospital__name_ar", "name_ar"]
        constraints = [
            models.UniqueConstraint(
                fields=["hospital", "name_ar"],
                name="ward_unique_name_ar",
                violation_error_message=_(
                    "This hospital already has a ward with this Arabic name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.hospital.name}"


class RoleAssignment(models.Model):
    """One role of one user over one institute, hospital or ward.

    Authority staff are superusers and need none. Managed in Settings → Roles.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    institute = models.ForeignKey(
        Institute,
        verbose_name=_("institute"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    hospital = models.ForeignKey(
        Hospital,
        verbose_name=_("hospital"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    ward = models.ForeignKey(
        Ward,
        verbose_name=_("ward"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    access_rule = AccessRule(view=Paths(), change=Paths())
    panels = [
        FieldPanel("user"),
        FieldPanel("role"),
        FieldPanel("institute"),
        FieldPanel("hospital"),
        FieldPanel("ward"),
    ]

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                violation_error_message=_(
                    "Give the scope this role needs: an institute for an institute administrator, a hospital for a trainer, a ward for a clinical supervisor."
                ),
                condition=(
                    Q(
                        role=Role.INSTITUTE_ADMIN,
                        institute__isnull=False,
                        hospital__isnull=True,
                        ward__isnull=True,
                    )
                    | Q(
                        role=Role.TRAINER,
                        institute__isnull=True,
                        hospital__isnull=False,
                        ward__isnull=True,
                    )
                    | Q(
                        role=Role.SUPERVISOR,
                        institute__isnull=True,
                        hospital__isnull=True,
                        ward__isnull=False,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "institute"],
                condition=Q(role=Role.INSTITUTE_ADMIN),
                name="role_unique_institute_admin",
                violation_error_message=_(
                    "This person is already an administrator of this institute."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "hospital"],
                condition=Q(role=Role.TRAINER),
                name="role_unique_trainer",
                violation_error_message=_(
                    "This person is already a trainer at this hospital."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "ward"],
                condition=Q(role=Role.SUPERVISOR),
                name="role_unique_supervisor",
                violation_error_message=_(
                    "This person is already a clinical supervisor of this ward."
                ),
            ),
        ]

    def __str__(self) -> str:
        # Titles (edit, delete, history, usage) name the person, not the username.
        from .services import user_display_name

        who = user_display_name(self.user)
        return f"{who} — {self.get_role_display()} — {self.scope_object}"

    @property
    def scope_object(self):
        return self.institute or self.hospital or self.ward

    def clean(self):
        needed = {
            Role.INSTITUTE_ADMIN: "institute",
            Role.TRAINER: "hospital",
            Role.SUPERVISOR: "ward",
        }.get(self.role)
        errors = {}
        for field in ("institute", "hospital", "ward"):
            has_value = getattr(self, f"{field}_id") is not None
            if field == needed and not has_value:
                errors[field] = _("This role needs a %(field)s.") % {
                    "field": self._meta.get_field(field).verbose_name
                }
            elif field != needed and has_value:
                errors[field] = _("Leave this empty for the role “%(role)s”.") % {
                    "role": self.get_role_display()
                }
        if errors:
            raise ValidationError(errors)


class Person(BilingualNameMixin, SearchTextMixin):
    """One human being across the authority, identified by their identity documents.

    A student record and, after graduation, a staff record point to the same person,
    so certificates and training history follow them from student to staff. People
    are never edited here directly: students and staff screens write them through
    `institutes.services.person_upsert`, which decides who may change a person's
    identity (see docs/people.md). `national_id` mirrors the person's Egyptian
    national ID document for the screens and documents that still print it.
    """

    national_id = models.CharField(
        _("national ID"),
        max_length=14,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_national_id],
    )
    name_ar = models.CharField(_("full name (Arabic)"), max_length=200)
    name_en = models.CharField(_("full name (Latin)"), max_length=200, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    nationality = models.CharField(
        _("nationality"), max_length=2, choices=Country.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    search_source_fields = ("name_ar", "name_en", "national_id")
    access_rule = AccessRule(view=Paths(), change=Paths())

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_ar"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        # Names are printed on certificates and the public verification page: no
        # bidi override or invisible character may reorder or hide them.
        errors = {}
        for name in ("name_ar", "name_en", "phone", "email"):
            try:
                validate_visible_text(getattr(self, name))
            except ValidationError as exc:
                errors[name] = exc
        if errors:
            raise ValidationError(errors)
        if self.national_id:
            parse_national_id(
                self.national_id, birth_date=self.birth_date, sex=self.sex
            )

    @property
    def identity_document(self) -> "IdentityDocument | None":
        """The document printed on certificates: a national document (Egyptian
        national ID, Omani civil number) first, then a passport, then a residence
        card. Reads the prefetched documents when they are."""
        order = {value: n for n, value in enumerate(DocumentType.values)}
        documents = sorted(
            self.documents.all(), key=lambda d: (order.get(d.document_type, 99), d.pk)
        )
        return documents[0] if documents else None

    @property
    def document_number(self) -> str:
        """The number to print: the Egyptian national ID, else the first document's."""
        if self.national_id:
            return self.national_id
        document = next(iter(self.documents.all()), None)
        return document.number if document else ""


class IdentityDocument(models.Model):
    """One identity document of a person: type, issuing country, number, expiry.

    A document (type, country, number) belongs to one person only (a database
    constraint); people are matched by it. Written by `institutes.services`.
    """

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices
    )
    country = models.CharField(
        _("issuing country"), max_length=2, choices=Country.choices
    )
    number = models.CharField(_("document number"), max_length=20)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    access_rule = AccessRule(view=Paths(), change=Paths())

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        ordering = ["person_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "country", "number"],
                name="identity_document_unique",
                violation_error_message=_(
                    "This identity document is already recorded for another person."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(document_type=DocumentType.EGYPTIAN_NATIONAL_ID)
                | Q(country=Country.EGYPT),
                name="identity_document_egyptian_id_from_egypt",
                violation_error_message=_(
                    "An Egyptian national ID is issued by Egypt only."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(document_type=DocumentType.OMANI_CIVIL_NUMBER)
                | Q(country=Country.OMAN),
                name="identity_document_omani_number_from_oman",
                violation_error_message=_(
                    "An Omani civil number is issued by Oman only."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} {self.country} {self.number}"


class IdentityChangeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class IdentityChangeRequest(models.Model):
    """A change of a shared person's identity asked from a scope that does not hold
    all of their records: authority staff approve or refuse it (Settings → Identity
    change requests). `changes` maps field names to the requested values."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="identity_change_requests",
    )
    changes = models.JSONField(_("requested changes"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IdentityChangeStatus.choices,
        default=IdentityChangeStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=255, blank=True)

    access_rule = AccessRule(view=Paths(), change=Paths())

    class Meta:
        verbose_name = _("identity change request")
        verbose_name_plural = _("identity change requests")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_status_display()}"
