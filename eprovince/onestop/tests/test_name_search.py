"""Officers find a dossier by the applicant's name typed without diacritics ("nguyen van an" finds "Nguyễn Văn An"),
on the queue page and in the API, whichever way the name got there (counter, online draft); on PostgreSQL the
lookup can use the trigram index of migration 0006 instead of reading the whole table.

Runs on SQLite by default and on PostgreSQL with DATABASE_URL=postgres://… (the same assertions)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client

from eprovince.onestop import drafts, selectors
from eprovince.onestop.models import Dossier
from eprovince.onestop.services.online import dossier_draft_save, dossier_online_submit

from .factories import APPLICANT, SITE, World, complete_draft, receive, sign_up

pytestmark = pytest.mark.django_db
QUEUE = "/can-bo/mot-cua/"
API = "/api/v1/onestop/dossiers"


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def codes_on_page(client: Client, q: str) -> str:
    response = client.get(QUEUE, {"hang": "all", "q": q})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("q", ["nguyen van an", "NGUYEN VAN AN", "Nguyễn Văn An", "  nguyen   van  an "])
def test_a_name_without_diacritics_finds_the_name_with_them(world: World, q: str) -> None:
    an = receive(world, applicant_name="Nguyễn Văn An")
    binh = receive(world, applicant_name="Trần Thị Bình")
    page = codes_on_page(client_for(world.specialist), q)
    assert an.code in page and "Nguyễn Văn An" in page
    assert binh.code not in page
    items = client_for(world.specialist).get(API, {"q": q}).json()["items"]
    assert [i["code"] for i in items] == [an.code]


def test_every_word_must_match_and_diacritics_are_ignored_both_ways(world: World) -> None:
    an = receive(world, applicant_name="Nguyễn Văn An")
    other = receive(world, applicant_name="Nguyễn Thị Lan")

    def found(q: str) -> set[str]:
        queue = selectors.dossier_queue(world.specialist, "all", selectors.DossierFilters(q=q))
        return set(queue.values_list("code", flat=True))

    assert found("nguyen van an") == {an.code}
    assert found("nguyễn") == {an.code, other.code}
    assert found("đông") == set() and found("lan thi") == {other.code}


def test_a_name_changed_in_an_online_draft_is_found_after_submission(world: World) -> None:
    user = sign_up(kind="citizen", email="an.nguyen@example.vn", business_name="", tax_code="")
    draft = complete_draft(world, user)
    renamed = {**APPLICANT, "applicant_name": "Nguyễn Văn An", "applicant_id_number": "089090000123"}
    draft = dossier_draft_save(dossier=draft, acting_user=user, section=drafts.APPLICANT, applicant=renamed, complete=True)
    submitted = dossier_online_submit(dossier=draft, acting_user=user, site_url=SITE)
    assert submitted.code in codes_on_page(client_for(world.clerk), "nguyen van an")
    items = client_for(world.clerk).get(API, {"q": "nguyen van an"}).json()["items"]
    assert [i["code"] for i in items] == [submitted.code]


def test_the_search_stays_scoped_to_what_the_officer_sees(world: World) -> None:
    an = receive(world, applicant_name="Nguyễn Văn An")
    assert an.code not in codes_on_page(client_for(world.outsider), "nguyen van an")  # an officer of another department
    assert client_for(world.outsider).get(API, {"q": "nguyen van an"}).json()["items"] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only")
def test_on_postgresql_the_name_search_can_use_the_trigram_index(world: World) -> None:
    receive(world, applicant_name="Nguyễn Văn An")
    word = Q(search_text__contains=" nguyen")  # as selectors._search asks for a word of letters
    sql, params = Dossier.objects.filter(word).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'onestop_dossier_search_trgm'")
        row = cursor.fetchone()
        assert row is not None and "gin_trgm_ops" in row[0]
        # A handful of rows would be read whole; forbid that (and plain index scans) to see whether the index fits.
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "onestop_dossier_search_trgm" in plan, plan
