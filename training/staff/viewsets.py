"""Back-office viewsets of mandatory staff training: staff, topics, sessions, reminders."""

import django_filters

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import HeaderButton

from institutes import access
from institutes.models import Hospital, Specialty, Ward
from institutes.person_forms import IdentityRequestMessageMixin
from institutes.scoped_admin import (
    AuthorityOnlyViewMixin,
    AuthorityOnlyViewSet,
    ScopedChooserViewSet,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    ScopedFilterSet,
    ScopedIndexView,
    ScopedModelViewSet,
    ScopedPermissionPolicy,
)

from .forms import InductionTopicForm, SessionForm, StaffMemberForm, TopicForm
from .models import (
    Delivery,
    InductionTopic,
    JobCategory,
    ReminderLog,
    SessionStatus,
    StaffMember,
    Topic,
    TopicRuleChange,
    TrainingSession,
)


class StaffFilterSet(ScopedFilterSet):
    hospital = django_filters.ModelChoiceFilter(
        queryset=Hospital.objects.all(), label=_("Hospital")
    )
    ward = django_filters.ModelChoiceFilter(
        queryset=Ward.objects.select_related("hospital"),
        label=_("Department / ward"),
    )
    job_category = django_filters.ChoiceFilter(
        choices=JobCategory.choices, label=_("Job category")
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = StaffMember
        fields = ["hospital", "ward", "job_category", "is_active"]


class StaffIndexView(ScopedIndexView):
    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        buttons.append(
            HeaderButton(
                label=_("Import staff"),
                url=reverse("training_staff_import"),
                icon_name="upload",
            )
        )
        return buttons


class StaffCreateView(IdentityRequestMessageMixin, ScopedCreateView):
    pass


class StaffEditView(IdentityRequestMessageMixin, ScopedEditView):
    pass


class StaffMemberViewSet(ScopedModelViewSet):
    name = "training_staff"
    model = StaffMember
    icon = "user"
    menu_label = _("Staff")
    add_to_admin_menu = False
    index_view_class = StaffIndexView
    add_view_class = StaffCreateView
    edit_view_class = StaffEditView
    filterset_class = StaffFilterSet
    search_fields = ["search_text"]
    edit_handler = ObjectList(StaffMember.panels, base_form_class=StaffMemberForm)
    list_display = [
        TitleColumn(
            "name_ar",
            label=_("Name"),
            url_name="training_staff_record",
            accessor="name",
        ),
        Column(
            "employee_number",
            label=_("Employee number"),
            sort_key="employee_number",
            classname="ident",
        ),
        "hospital",
        "ward",
        "job_category",
        "is_active",
    ]
    list_export = [
        "employee_number",
        "name_ar",
        "name_en",
        "national_id",
        "hospital",
        "ward",
        "job_category",
        "job_title",
        "hire_date",
        "email",
        "phone",
        "is_active",
    ]
    export_headings = {
        "name_ar": _("full name (Arabic)"),
        "name_en": _("full name (Latin)"),
        "national_id": _("national ID"),
    }
    export_filename = "staff"
    inspect_view_fields = [
        "employee_number",
        "hospital",
        "ward",
        "job_category",
        "job_title",
        "hire_date",
        "manager",
        "email",
        "phone",
        "is_active",
    ]
    ordering = ["employee_number"]

    def get_queryset(self, request):
        return StaffMember.objects.select_related(
            "person", "hospital", "ward__hospital"
        ).prefetch_related("person__documents")


class TopicFilterSet(ScopedFilterSet):
    delivery = django_filters.ChoiceFilter(
        choices=Delivery.choices, label=_("Delivery")
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Topic
        fields = ["delivery", "is_active"]


class AuthorityOnlyPolicy(ScopedPermissionPolicy):
    """Topics are national reference data: every back-office user reads them in the
    training screens (session form, dashboards), but the topic admin screens, where
    rules are changed, belong to authority staff alone."""

    def user_has_permission(self, user, action):
        return access.scope_for(user).is_authority

    def user_has_permission_for_instance(self, user, action, instance):
        return access.scope_for(user).is_authority

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return access.scope_for(user).is_authority

    def instances_user_has_permission_for(self, user, action):
        qs = self.model._default_manager.all()
        return qs if access.scope_for(user).is_authority else qs.none()

    def instances_user_has_any_permission_for(self, user, actions):
        return self.instances_user_has_permission_for(user, "view")


class TopicViewSet(AuthorityOnlyViewSet):
    name = "training_topics"
    permission_policy = AuthorityOnlyPolicy(Topic)

    model = Topic
    icon = "list-ul"
    menu_label = _("Training topics")
    add_to_admin_menu = False
    filterset_class = TopicFilterSet
    search_fields = ["code", "title_ar", "title_en"]
    edit_handler = ObjectList(Topic.panels, base_form_class=TopicForm)
    list_display = [
        "code",
        "title_ar",
        "title_en",
        "validity_months",
        "hours",
        "assessment",
        "delivery",
        "is_active",
    ]
    list_export = [
        "code",
        "title_ar",
        "title_en",
        "job_categories",
        "specialties",
        "validity_months",
        "hours",
        "assessment",
        "pass_mark",
        "delivery",
        "renewal_rule",
        "renewal_window_days",
        "grace_days",
        "is_active",
    ]
    export_filename = "training-topics"
    inspect_view_fields = list_export
    ordering = ["code"]


class SessionFilterSet(ScopedFilterSet):
    hospital = django_filters.ModelChoiceFilter(
        queryset=Hospital.objects.all(), label=_("Hospital")
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(), label=_("Topic")
    )
    status = django_filters.ChoiceFilter(
        choices=SessionStatus.choices, label=_("Status")
    )

    class Meta:
        model = TrainingSession
        fields = ["hospital", "topic", "status"]


class SessionCreateView(ScopedCreateView):
    def get_success_url(self):
        # Land on the new session's page (roster, registration), not the list.
        return reverse("training_session_detail", args=[self.object.pk])


class TrainingSessionViewSet(ScopedModelViewSet):
    name = "training_sessions"
    add_view_class = SessionCreateView
    model = TrainingSession
    icon = "date"
    menu_label = _("Sessions")
    add_to_admin_menu = False
    filterset_class = SessionFilterSet
    search_fields = ["venue", "topic__title_ar", "topic__title_en", "topic__code"]
    edit_handler = ObjectList(TrainingSession.panels, base_form_class=SessionForm)
    list_display = [
        TitleColumn(
            "topic",
            label=_("Topic"),
            url_name="training_session_detail",
        ),
        "starts_at",
        "venue",
        "hospital",
        "capacity",
        "status",
    ]
    list_export = [
        "topic",
        "hospital",
        "venue",
        "starts_at",
        "ends_at",
        "capacity",
        "registration_closes_at",
        "status",
    ]
    export_filename = "training-sessions"
    inspect_view_fields = list_export
    ordering = ["-starts_at"]

    def get_queryset(self, request):
        return TrainingSession.objects.select_related("topic", "hospital")


class ReminderFilterSet(ScopedFilterSet):
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(), label=_("Topic")
    )

    class Meta:
        model = ReminderLog
        fields = ["topic"]


class ReminderLogViewSet(ScopedModelViewSet):
    """What reminders were sent, to whom, for which due date (read only)."""

    name = "training_reminders"
    model = ReminderLog
    icon = "mail"
    menu_label = _("Reminders sent")
    add_to_admin_menu = False
    filterset_class = ReminderFilterSet
    search_fields = ["recipients", "staff__employee_number"]
    list_display = ["staff", "topic", "due_date", "recipients", "sent_at"]
    list_export = ["staff", "topic", "due_date", "recipients", "sent_at"]
    export_filename = "training-reminders"
    inspect_view_fields = list_export
    form_fields = ["recipients"]

    def get_queryset(self, request):
        return ReminderLog.objects.select_related("staff__person", "topic")


class TopicRuleChangeViewSet(ScopedModelViewSet):
    """Recorded changes of topic rules and the progress of their recomputation."""

    name = "training_rule_changes"
    model = TopicRuleChange
    icon = "history"
    menu_label = _("Topic rule changes")
    add_to_admin_menu = False
    list_display = [
        "topic",
        "changed_by",
        "changed_at",
        "status",
        Column("progress_percent", label=_("Progress (%)")),
    ]
    list_export = ["topic", "changed_by", "changed_at", "before", "after", "status"]
    export_filename = "topic-rule-changes"
    inspect_view_fields = [
        "topic",
        "changed_by",
        "changed_at",
        "before",
        "after",
        "status",
        "rows_total",
        "rows_done",
        "finished_at",
    ]
    form_fields = ["status"]

    def get_queryset(self, request):
        return TopicRuleChange.objects.select_related("topic", "changed_by")


class InductionDeleteView(AuthorityOnlyViewMixin, ScopedDeleteView):
    def delete_action(self):
        from .services import induction_plan_changed

        category = self.object.job_category
        super().delete_action()
        induction_plan_changed(job_category=category)


class InductionTopicViewSet(AuthorityOnlyViewSet):
    """The induction plan: per job category, the topics a new hire completes and
    within how many months of hiring. National: authority staff only."""

    name = "training_induction"
    model = InductionTopic
    permission_policy = AuthorityOnlyPolicy(InductionTopic)
    delete_view_class = InductionDeleteView

    icon = "list-ol"
    menu_label = _("Induction plan")
    add_to_admin_menu = False
    edit_handler = ObjectList(InductionTopic.panels, base_form_class=InductionTopicForm)
    list_display = ["job_category", "topic", "months_to_complete"]
    list_export = ["job_category", "topic", "months_to_complete"]
    list_filter = ["job_category"]
    export_filename = "induction-plan"
    inspect_view_fields = list_export
    ordering = ["job_category", "months_to_complete"]

    def get_queryset(self, request):
        return InductionTopic.objects.select_related("topic")


class StaffChooserViewSet(ScopedChooserViewSet):
    model = StaffMember
    icon = "user"
    choose_one_text = _("Choose a staff member")
    choose_another_text = _("Choose another staff member")
    url_filter_parameters = ["hospital"]
    preserve_url_parameters = ["multiple", "hospital"]


SPECIALTY_CHOICES = Specialty.choices


class StaffTrainingGroup(ViewSetGroup):
    menu_label = _("Staff training")
    menu_icon = "clipboard-list"
    menu_order = 400
    items = (
        TrainingSessionViewSet,
        StaffMemberViewSet,
        TopicViewSet,
        InductionTopicViewSet,
        TopicRuleChangeViewSet,
        ReminderLogViewSet,
    )


staff_chooser_viewset = StaffChooserViewSet("training_staff_chooser")


def viewsets():
    """What `training.wagtail_hooks` registers for the staff-training area."""
    return [StaffTrainingGroup(), staff_chooser_viewset]
