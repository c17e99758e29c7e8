"""Public certificate verification URLs (inside the /ar/ and /en/ prefixes)."""

urlpatterns: list = []
