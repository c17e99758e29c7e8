"""Factories for hospitals, institutes, wards, users and roles (tests and synthetic data)."""

import factory

from django.contrib.auth import get_user_model

from .access import Role
from .models import Hospital, Institute, RoleAssignment, Specialty, Ward


class HospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hospital
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"hospital-{n}")
    name_ar = factory.Sequence(lambda n: f"مستشفى رقم {n}")
    name_en = factory.Sequence(lambda n: f"Hospital {n}")
    beds = 100


class InstituteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institute
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"institute-{n}")
    name_ar = factory.Sequence(lambda n: f"المعهد الفني للتمريض رقم {n}")
    name_en = factory.Sequence(lambda n: f"Technical Nursing Institute {n}")
    hospital = factory.SubFactory(HospitalFactory)
    intake_capacity = 60


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    hospital = factory.SubFactory(HospitalFactory)
    specialty = Specialty.MEDICAL
    name_ar = factory.Sequence(lambda n: f"قسم {n}")
    name_en = factory.Sequence(lambda n: f"Ward {n}")
    student_capacity = 4


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "مستخدم"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_after_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.INSTITUTE_ADMIN
    institute = factory.SubFactory(InstituteFactory)


# --- Scoping samples ------------------------------------------------------------
# The cross-scope tests enumerate every registered admin viewset and need, for each
# model, a row that belongs to one "side" (an institute, its hospital and a ward of
# it, see tests/conftest.py). Each app registers a maker for each model it shows in
# the admin; a viewset whose model has no maker fails the test suite.


def egyptian_national_id_document(person, create, extracted, **kwargs):
    """Post-generation hook of the person factories: the person's national ID is
    also their identity document, as `person_upsert` would have recorded it."""
    if not create or not person.national_id:
        return
    from .models import IdentityDocument

    IdentityDocument.objects.get_or_create(
        document_type="eg_national_id",
        country="EG",
        number=person.national_id,
        defaults={"person": person},
    )
    if not person.nationality:
        type(person).objects.filter(pk=person.pk).update(nationality="EG")
        person.nationality = "EG"


class ScopeSample:
    def __init__(self, make, marker: str):
        self.make = make
        self.marker = marker

    def marker_text(self, obj) -> str:
        """The marker as screens and exports write it: an account by its person's
        name (`user_display_name`), anything else as its text."""
        from .services import user_display_name

        value = getattr(obj, self.marker)
        if isinstance(value, get_user_model()):
            return user_display_name(value)
        return str(value)


SCOPE_SAMPLES: dict[type, ScopeSample] = {}


def scope_sample(model, *, marker: str):
    """Register `make(side) -> instance` for `model`; `marker` names a field whose
    value is unique to the side and shows in listings and exports."""

    def decorator(make):
        SCOPE_SAMPLES[model] = ScopeSample(make, marker)
        return make

    return decorator


@scope_sample(Hospital, marker="name_ar")
def _hospital_sample(side):
    return side.hospital


@scope_sample(Institute, marker="name_ar")
def _institute_sample(side):
    return side.institute


@scope_sample(Ward, marker="name_ar")
def _ward_sample(side):
    return side.ward


@scope_sample(RoleAssignment, marker="user")
def _role_sample(side):
    return side.admin.role_assignments.first()


@scope_sample(get_user_model(), marker="username")
def _user_sample(side):
    return side.admin
