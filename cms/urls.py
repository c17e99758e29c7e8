"""Public-site URLs that are not Wagtail pages (inside the /ar/ and /en/ prefixes)."""

urlpatterns: list = []
