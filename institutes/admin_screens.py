"""The one way an app mounts its back-office screens.

Each app (or wing of an app) calls `register_admin_screens` from its short
`wagtail_hooks.py`, naming its viewsets, the module holding its admin URL patterns
and its menu items; nothing else registers admin URLs or menus. A new screen is a
view, a line in that module's `urlpatterns` and, if it needs one, a menu entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import include, path

from wagtail import hooks


def register_admin_screens(
    *,
    prefix: str = "",
    urls: str | None = None,
    viewsets: Callable[[], object] | None = None,
    menu_items: Iterable[Callable[[], object]] = (),
) -> None:
    """Register an app's admin screens with Wagtail.

    `prefix` is the path under /admin/ (e.g. "training/placements/"); `urls` the
    dotted path of a module with `urlpatterns` (and `app_name` when it namespaces
    its names); `viewsets` a callable returning the viewsets or viewset groups;
    `menu_items` callables returning menu items (Wagtail calls them at start-up).
    """
    if viewsets is not None:
        hooks.register("register_admin_viewset", viewsets)
    if urls is not None:

        def admin_urls():
            return [path(prefix, include(urls))]

        hooks.register("register_admin_urls", admin_urls)
    for menu_item in menu_items:
        hooks.register("register_admin_menu_item", menu_item)
