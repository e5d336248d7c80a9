"""Hypothesis is derandomised in CI (the same examples every run: a red build is a real bug) and random in
development; a test's own @settings keeps the profile's derandomisation."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import hypothesis_profile


def test_the_profile_follows_the_environment() -> None:
    assert hypothesis_profile({}) == "dev"
    assert hypothesis_profile({"CI": "true"}) == "ci"
    assert hypothesis_profile({"CI": "1"}) == "ci"
    assert hypothesis_profile({"CI": "false"}) == "dev"
    assert hypothesis_profile({"CI": "true", "HYPOTHESIS_PROFILE": "dev"}) == "dev"
    assert hypothesis_profile({"HYPOTHESIS_PROFILE": "ci"}) == "ci"


def test_the_ci_profile_is_derandomised_without_a_deadline_and_prints_the_blob() -> None:
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.database is None and ci.deadline is None and ci.print_blob
    dev = settings.get_profile("dev")
    assert not dev.derandomize and dev.deadline is not None and not dev.print_blob


def test_the_loaded_profile_is_the_one_the_environment_asks_for() -> None:
    assert settings.default.derandomize == (hypothesis_profile() == "ci")


def test_a_tests_own_settings_keep_the_profiles_derandomisation() -> None:
    from eprovince.indicators.tests.test_handover_properties import SETTINGS

    assert settings(max_examples=5, deadline=None).derandomize == settings.default.derandomize
    assert SETTINGS.derandomize == settings.default.derandomize


def test_the_ci_profile_draws_the_same_examples_every_run() -> None:
    def draw() -> list[int]:
        seen: list[int] = []

        @settings(settings.get_profile("ci"), max_examples=20)
        @given(st.integers())
        def record(value: int) -> None:
            seen.append(value)

        record()
        return seen

    assert draw() == draw()
