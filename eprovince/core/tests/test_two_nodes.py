"""Two application nodes behind one address: two gunicorn servers with the production settings, sharing one
PostgreSQL database and one Redis database, as a deployment with two machines behind a load balancer.

What a user relies on, whichever node answers:
- a publication on one node shows on the other at once (the whole-page cache and its content version are shared);
- five wrong passwords lock the account on both nodes; the public tracking throttle counts attempts across both;
- two officers acting on the same dossier at the same moment through different nodes: one wins, the other is told.

PostgreSQL and Redis only: skipped on SQLite, and when Redis does not answer (unless TWO_NODES_REQUIRED=1, which
.ci/run sets: there it fails). The test creates its own database (ep_two_nodes_<random>) and uses one Redis database
number (TWO_NODES_REDIS_URL, default redis://127.0.0.1:6379/14), flushed first; it stops both servers and drops the
database at the end, even on failure. HTTP goes through urllib with one cookie jar per person: a jar does not tell
the two ports apart, so a person's session follows them from one node to the other, as behind a load balancer."""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("TWO_NODES_REDIS_URL", "redis://127.0.0.1:6379/14")
REQUIRED = os.environ.get("TWO_NODES_REQUIRED", "") == "1"
TRACKING_LIMIT = 4
STARTUP_SECONDS = 40


def _skip_or_fail(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason} (TWO_NODES_REQUIRED=1)", pytrace=False)
    pytest.skip(reason)


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("Two nodes share a PostgreSQL database: run with DATABASE_URL=postgres://…")
    return url


def _redis_reachable() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        _skip_or_fail(f"Two nodes share a Redis cache, and {REDIS_URL} does not answer ({exc}): run `make redis`.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- A person's browser, over urllib ------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Response:
    status: int
    headers: Any
    text: str

    def messages(self) -> str:
        """The text of the page's flash messages and alerts, unescaped."""
        return html.unescape(" ".join(re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', self.text, re.S)))


class Browser:
    """One person: a cookie jar (session, CSRF, messages), no automatic redirects."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def get(self, url: str) -> Response:
        return self._send(urllib.request.Request(url, headers={"Accept-Language": "vi"}))  # noqa: S310 (loopback nodes)

    def post(self, url: str, fields: dict[str, str], *, form_page: str | None = None) -> Response:
        """POST `fields` with the CSRF token of the form on `form_page` (default: `url` itself)."""
        page = self.get(form_page or url)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert found, f"no CSRF token on {form_page or url} ({page.status})"
        return self.post_with_token(url, fields, found.group(1))

    def post_with_token(self, url: str, fields: dict[str, str], token: str) -> Response:
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        headers = {"Accept-Language": "vi", "Content-Type": "application/x-www-form-urlencoded"}
        request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 (loopback nodes)
        return self._send(request)

    def login(self, node: str, username: str, password: str) -> Response:
        return self.post(f"{node}/dang-nhap/", {"username": username, "password": password})

    def _send(self, request: urllib.request.Request) -> Response:
        try:
            with self.opener.open(request, timeout=20) as answer:
                return Response(answer.status, answer.headers, answer.read().decode())
        except urllib.error.HTTPError as answer:
            return Response(answer.code, answer.headers, answer.read().decode())


# --- The two nodes ------------------------------------------------------------------------------------------------


@dataclass
class Cluster:
    node1: str
    node2: str
    world: dict[str, Any]
    database_url: str

    def sql(self, query: str, *params: object) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            return conn.execute(query, params).fetchall()


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn on {url} stopped (code {server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as answer:  # noqa: S310 (loopback nodes)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn on {url} did not answer within {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    import psycopg
    import redis

    url = _postgres_url()
    _redis_reachable()
    name = f"ep_two_nodes_{secrets.token_hex(4)}"
    server_url, _sep, _old = url.rpartition("/")
    database_url = f"{server_url}/{name}"
    admin_url = f"{server_url}/postgres"
    tmp = tmp_path_factory.mktemp("two-nodes")
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="eprovince.settings.production",
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        SECRET_KEY="two-nodes-test-secret-" + secrets.token_hex(16),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        DEMO_MODE="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        MEDIA_ROOT=str(tmp / "media"),
        ONESTOP_FILES_ROOT=str(tmp / "private"),
        ONESTOP_TRACKING_ATTEMPTS=str(TRACKING_LIMIT),
        LOG_LEVEL="WARNING",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="4",
        GUNICORN_MAX_REQUESTS="0",
    )
    servers: list[subprocess.Popen[bytes]] = []
    logs: list[Any] = []
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
        built = subprocess.run(
            [sys.executable, "-m", "eprovince.core.tests.two_nodes_world"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert built.returncode == 0, built.stderr[-3000:]
        world = json.loads(built.stdout.strip().splitlines()[-1])
        nodes = []
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        for number in (1, 2):
            port = _free_port()
            log_path = tmp / f"node{number}.log"
            log = log_path.open("wb")
            logs.append(log)
            node_env = {**env, "BIND": f"127.0.0.1:{port}"}
            # No control socket: both masters would otherwise bind the same default path (~/.gunicorn/gunicorn.ctl).
            command = [gunicorn, "eprovince.wsgi", "-c", "deploy/gunicorn.conf.py", "--no-control-socket"]
            server = subprocess.Popen(  # noqa: S603 (our own gunicorn)
                command, cwd=ROOT, env=node_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            servers.append(server)
            nodes.append((f"http://127.0.0.1:{port}", log_path))
        for (node, log_path), server in zip(nodes, servers, strict=True):
            _wait_until_up(node, server, log_path)
        yield Cluster(node1=nodes[0][0], node2=nodes[1][0], world=world, database_url=database_url)
    finally:
        for server in servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGINT)  # gunicorn's quick shutdown: nothing is left to finish
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
        for log in logs:
            log.close()
        redis.Redis.from_url(REDIS_URL).flushdb()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- What a user relies on ----------------------------------------------------------------------------------------


def test_an_article_published_through_one_node_shows_at_once_on_the_other(cluster: Cluster) -> None:
    title = cluster.world["article"]["title"]
    reader = Browser()
    for _ in range(2):  # the second reading comes from node 2's page cache
        home = reader.get(cluster.node2 + "/")
        assert home.status == 200 and "Bài đã xuất bản từ trước" in home.text
        assert title not in home.text
    assert not list(reader.jar), "an anonymous reader carries no cookie, so they get the cached page"

    chief = Browser()
    assert chief.login(cluster.node1, cluster.world["chief"], cluster.world["portal_password"]).status == 302
    detail = f"{cluster.node1}/can-bo/tin-bai/{cluster.world['article']['pk']}/"
    published = chief.post(f"{detail}chuyen/publish/", {}, form_page=detail)
    assert published.status == 302
    assert "Đã xuất bản" in chief.get(detail).messages()

    for node in (cluster.node2, cluster.node1):
        assert title in reader.get(node + "/").text, f"the publication is not on {node}'s home page"


def test_five_wrong_passwords_through_both_nodes_lock_the_account_on_both(cluster: Cluster) -> None:
    username, password = cluster.world["lockout_user"], cluster.world["staff_password"]
    intruder = Browser()
    answers = [intruder.login((cluster.node1, cluster.node2)[i % 2], username, f"sai-mat-khau-{i}") for i in range(5)]
    assert [a.status for a in answers] == [401] * 5
    assert all("không đúng" in a.text for a in answers[:4]), "the first four failures give the generic message"
    assert "Tài khoản tạm thời bị khóa" in answers[4].text

    for node in (cluster.node1, cluster.node2):
        owner = Browser()
        refused = owner.login(node, username, password)
        assert refused.status == 401 and "Tài khoản tạm thời bị khóa" in refused.text, f"not locked on {node}"


def test_the_tracking_throttle_counts_attempts_made_on_either_node(cluster: Cluster) -> None:
    visitor = Browser()
    nodes = (cluster.node1, cluster.node2)
    guesses = {"code": "000.20.00.H99-260101-9999", "contact": "0900000000"}
    answers = [visitor.post(f"{nodes[i % 2]}/tra-cuu-ho-so/", guesses) for i in range(TRACKING_LIMIT)]
    assert [a.status for a in answers] == [404] * TRACKING_LIMIT  # an unknown code, not yet throttled
    for node in nodes:  # two attempts each so far: a node counting alone would still let these through
        throttled = visitor.post(f"{node}/tra-cuu-ho-so/", guesses)
        assert throttled.status == 429, f"{node} did not count the attempts made on the other node"


def test_two_officers_acting_at_once_through_two_nodes_one_wins_the_other_is_told(cluster: Cluster) -> None:
    dossier = cluster.world["dossier"]
    password = cluster.world["staff_password"]
    # The clerk works through node 1 and withdraws the dossier; the specialist, through node 2, forwards it. Both use
    # the dossier page's action panel, which carries the version of the dossier they saw.
    officers = [
        (Browser(), cluster.node1, cluster.world["clerk"], "withdraw", {"panel-reason": "Người nộp xin rút hồ sơ", "panel-confirm": "on"}),
        (Browser(), cluster.node2, cluster.world["specialist"], "forward", {}),
    ]  # fmt: skip
    prepared = []
    for browser, node, username, code, fields in officers:
        assert browser.login(node, username, password).status == 302
        page = browser.get(f"{node}/can-bo/mot-cua/ho-so/{dossier['pk']}/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        version = re.search(r'name="panel-version" value="(\d+)"', page.text)
        offered = re.search(rf'name="panel-action" value="{code}"', page.text)
        assert page.status == 200 and token and version and offered, f"{username} is not offered “{code}”"
        assert int(version.group(1)) == dossier["version"]
        url = f"{node}/can-bo/mot-cua/ho-so/{dossier['pk']}/thao-tac/"
        fields = {"panel-action": code, "panel-version": version.group(1), **fields}
        prepared.append((browser, node, url, fields, token.group(1)))

    start = threading.Barrier(len(prepared))
    answers: list[Response | None] = [None] * len(prepared)

    def act(i: int) -> None:
        browser, _node, url, fields, token = prepared[i]
        start.wait(timeout=10)
        answers[i] = browser.post_with_token(url, fields, token)

    threads = [threading.Thread(target=act, args=(i,)) for i in range(len(prepared))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [a.status if a else None for a in answers] == [302, 302], "both officers are sent back to the dossier"

    told = [browser.get(f"{node}/can-bo/mot-cua/ho-so/{dossier['pk']}/").messages() for browser, node, *_ in prepared]
    winners = [m for m in told if "Đã thực hiện" in m]
    losers = [m for m in told if "vừa được người khác cập nhật" in m and dossier["code"] in m]
    assert len(winners) == 1 and len(losers) == 1, told

    [(version, acted)] = cluster.sql(
        "SELECT d.version, (SELECT count(*) FROM onestop_dossierevent e WHERE e.dossier_id = d.id "
        "AND e.action IN ('forward', 'withdraw')) FROM onestop_dossier d WHERE d.id = %s",
        dossier["pk"],
    )
    assert (version, acted) == (dossier["version"] + 1, 1), "exactly one action was applied"
