"""The state the two-node test needs, built in a database of its own through the real services.

test_two_nodes.py runs it in a subprocess with the production settings and DATABASE_URL pointing at the fresh
database: `python -m eprovince.core.tests.two_nodes_world`. It migrates, collects the static files (the production
storage serves them from a manifest), builds the one-stop world of the one-stop tests (a department, its clerk and
specialist, a procedure and its process), receives one dossier at the counter, creates an editor, a chief editor and
an article waiting for review, and prints what the test needs as one line of JSON (the last line of its output)."""

from __future__ import annotations

import json

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hashers, get_hashers_by_algorithm


class QuickPBKDF2(PBKDF2PasswordHasher):
    """The test accounts' passwords, hashed with few rounds: a dozen Argon2 hashes took 17 s on a loaded machine. The
    hash names its rounds, so the nodes' own PBKDF2 hasher checks it (and upgrades it to Argon2 at the first login)."""

    iterations = 1000


def build() -> dict[str, object]:
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["eprovince.core.tests.two_nodes_world.QuickPBKDF2"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    from eprovince.core.testing import TEST_PASSWORD
    from eprovince.onestop.tests.factories import make_world, receive
    from eprovince.portal import services as portal_services
    from eprovince.portal.tests import factories as portal

    world = make_world()
    dossier = receive(world)
    editor = portal.editor()
    chief = portal.chief_editor()
    portal.published(author=editor, approver=chief, title="Bài đã xuất bản từ trước")
    waiting = portal.draft(author=editor, title="Khai trương Trung tâm phục vụ hành chính công trên hai máy chủ")
    portal_services.article_submit_for_review(article=waiting, acting_user=editor)
    return {
        "dossier": {"pk": dossier.pk, "code": dossier.code, "version": dossier.version},
        "clerk": world.clerk.username,
        "specialist": world.specialist.username,
        "lockout_user": world.head.username,
        "staff_password": TEST_PASSWORD,
        "article": {"pk": waiting.pk, "title": waiting.title},
        "chief": chief.username,
        "portal_password": portal.PASSWORD,
    }


def main() -> None:
    import django

    django.setup()
    print(json.dumps(build(), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
