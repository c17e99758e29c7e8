from wagtail import hooks

from .viewsets import notification_viewset


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [notification_viewset]
