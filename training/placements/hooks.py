"""How placements plug into the other apps when the project starts.

* Clinical supervisors see the students placed in their wards *now* (the student
  only: name, number, photo, year; never marks or contacts): the students app lets
  other apps open more read paths to Student, here limited to the time the placement
  runs plus a grace (`supervision.placed_now`). Trainers need no student record.
* Graduation needs every year's approved clinical hours and signed-off competencies:
  registered with the students app's graduation-requirement registry.
* Promotion (the year rollover, years 1–4) needs the finished year's hours and
  competencies, for cohorts and years that have rotation blocks: registered with the
  students app's promotion-requirement registry.

Called from `TrainingConfig.ready()`.
"""

from __future__ import annotations


def connect() -> None:
    from students.models import extend_student_visibility
    from students.services import (
        register_graduation_requirement,
        register_promotion_requirement,
    )

    from .selectors import clinical_graduation_unmet, clinical_promotion_unmet
    from .supervision import placed_now_via

    extend_student_visibility(
        ward=("placements__ward",),
        when={"placements__ward": placed_now_via("placements__")},
    )
    register_graduation_requirement("training.clinical", clinical_graduation_unmet)
    register_promotion_requirement("training.clinical", clinical_promotion_unmet)
    _register_student_panel()
    _register_person_sections()


def _register_person_sections() -> None:
    from institutes.person_record import register_person_sections

    from .person_sections import placement_sections

    register_person_sections(placement_sections)


def _register_student_panel() -> None:
    """The student page links to the student's clinical record (hours, sign-offs,
    placements, past years), for whoever may see the student's placements."""
    from django.utils.translation import gettext_lazy as _

    from institutes import access
    from students.panels import StudentPagePanel, register_student_page_panel

    from .models import Placement

    class ClinicalRecordPanel(StudentPagePanel):
        order = 250
        title = _("Clinical training")
        template_name = "training/panels/student_clinical.html"

        def is_shown(self) -> bool:
            return access.user_may(self.request.user, "view", Placement)

        def get_context_data(self, parent_context=None):
            return {
                "student": self.student,
                "placements": access.filter_for(
                    Placement.objects.filter(student=self.student), self.request.user
                ).count(),
            }

    register_student_page_panel(ClinicalRecordPanel)
