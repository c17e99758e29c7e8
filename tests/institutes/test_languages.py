"""Arabic first in the back office; each user may choose English."""

from django.urls import reverse

from wagtail.users.models import UserProfile


def test_back_office_speaks_arabic_whatever_the_browser_says(world, client):
    client.force_login(world.a.admin)
    response = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="ar"' in html
    assert 'dir="rtl"' in html


def test_a_user_who_chose_english_gets_english(world, client):
    profile = UserProfile.get_for_user(world.a.admin)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(world.a.admin)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'lang="en"' in html
    assert 'dir="ltr"' in html
    assert "Your access" in html


def test_our_strings_are_translated(world, client):
    client.force_login(world.a.admin)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "صلاحياتك" in html
    assert "مسؤول المعهد" in html


def test_language_preference_is_offered(world, client):
    client.force_login(world.a.admin)
    response = client.get(reverse("wagtailadmin_account"))
    assert response.status_code == 200
    assert "English" in response.content.decode()
