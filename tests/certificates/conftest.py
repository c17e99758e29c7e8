import pytest

from django.core.cache import cache


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.CERTIFICATES_FILES_ROOT = tmp_path / "documents"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def grad_a(world):
    from certificates.factories import graduate

    return graduate(world.a.institute, index=0)


@pytest.fixture
def grad_b(world):
    from certificates.factories import graduate

    return graduate(world.b.institute, index=1)
