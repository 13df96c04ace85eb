"""The server's half of "drafts survive" (static/core/drafts.js does the rest in the browser): each page names the
owner of the drafts kept in the tab by a keyed hash, stable across sign-ins and different per user, and the long
forms opt in — workspace forms keep their drafts, the public objection form only warns (ID numbers, files)."""

import re

import pytest

from tests.factories import clerk_of
from tests.factories.publicity import PublicEntries

pytestmark = pytest.mark.django_db


def _owner(client, url="/workspace/") -> str:
    page = client.get(url).content.decode()
    return re.search(r'data-draft-user="([^"]*)"', page).group(1)


def test_draft_owner_is_the_same_after_signing_in_again_and_differs_per_user(client, clerk):
    other = clerk_of("zuren", username="clerk_other")
    client.force_login(clerk)
    first = _owner(client)
    client.logout()
    assert _owner(client, "/accounts/login/") == ""  # nobody signed in: nothing is kept
    client.force_login(clerk)
    assert _owner(client) == first
    assert first and str(clerk.pk) != first
    client.logout()
    client.force_login(other)
    assert _owner(client) not in ("", first)


def test_long_workspace_forms_keep_drafts_and_load_the_module(clerk_client):
    for url in ("/workspace/items/8/new/", "/workspace/publicity/licences/new/"):
        page = clerk_client.get(url).content.decode()
        assert 'data-draft="keep"' in page, url
        assert "core/drafts.js" in page, url
        assert 'id="draft-notice-template"' in page, url


def test_sign_in_page_holds_drafts_for_the_return(client):
    page = client.get("/accounts/login/?next=/workspace/items/8/new/").content.decode()
    assert "data-draft-signin" in page
    assert "core/drafts.js" in page


def test_public_objection_form_only_warns_and_stores_nothing(reviewer, client):
    pub = PublicEntries(reviewer).penalty(2)
    page = client.get(f"/penalties/{pub.pk}/objection/").content.decode()
    assert 'data-draft="warn"' in page
    assert 'data-draft="keep"' not in page
