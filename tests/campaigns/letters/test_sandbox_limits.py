"""A template written by anyone cannot exhaust memory or hold a worker: each costly
operation is refused, and a render that runs too long is stopped."""

import time

import pytest
from jinja2.exceptions import SecurityError

from campaigns.letters.sandbox import RenderTimeout, environment, with_deadline

ENV = environment()


def render(source: str, seconds: float = 1.0, **context) -> str:
    return with_deadline(lambda: ENV.from_string(source).render(**context), seconds)


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'x' * 1000000 }}",
        "{{ [1] * 1000000 }}",
        "{{ 2 ** 1000 }}",
        "{{ ('x' * 99999)|replace('x', 'x' * 99999) }}",
        "{{ ('x' * 99999).replace('x', 'x' * 99999) }}",
        "{{ 'x'|center(1000000000) }}",
        "{{ 'x'.center(1000000000) }}",
        "{{ 'x'.ljust(1000000000) }}",
        "{{ 'x'|indent(1000000000) }}",
        "{{ '%1000000000s' % 'x' }}",
        "{{ '{:>1000000000}'.format('x') }}",
        "{{ '%s'|format('x') ~ '%1000000s'|format('x') }}",
        "{% for i in range(1000000) %}{% endfor %}",
    ],
)
def test_operations_whose_cost_the_template_chooses_are_refused(source):
    started = time.monotonic()
    with pytest.raises(SecurityError):
        render(source)
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    "source",
    [
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}{% endfor %}"
        "{% endfor %}",
        "{% for a in 'x' * 99999 %}{% for b in 'y' * 99999 %}{% endfor %}{% endfor %}",
    ],
)
def test_a_render_that_runs_too_long_is_stopped(source):
    started = time.monotonic()
    with pytest.raises(RenderTimeout):
        render(source, seconds=0.5)
    assert time.monotonic() - started < 2


def test_ordinary_templates_render_as_usual():
    source = "{{ name|upper }} — {{ 'a-b'.replace('-', ' ') }} — {{ '%s'|format(3 * 4) }} — {{ ', '.join(['x', 'y']) }}"
    assert render(source, name="élodie") == "ÉLODIE — a b — 12 — x, y"


def test_a_deadline_never_fires_after_the_render_returned():
    # Deadlines as short as a render: each either returns or is stopped inside with_deadline.
    outcomes = set()
    for _ in range(300):
        try:
            outcomes.add(render("{{ 1 + 1 }}", seconds=0.0005))
        except RenderTimeout:
            outcomes.add("stopped")
    # A timer firing late would raise in this thread now, outside any render.
    deadline = time.monotonic() + 0.1
    while time.monotonic() < deadline:
        sum(range(1000))
    assert outcomes <= {"2", "stopped"}


def _busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_deadline_swallowed_by_the_render_still_stops_it():
    # WeasyPrint logs while it lays out: the interruption can land in a logging handler, which
    # reports any exception and goes on. The render must not return as if it had been in time.
    swallowed = []

    def swallowing_render():
        try:
            _busy(0.5)
        except Exception as exc:
            swallowed.append(exc)
        return "fini"

    with pytest.raises(RenderTimeout):
        with_deadline(swallowing_render, 0.05)
    assert [type(exc) for exc in swallowed] == [RenderTimeout]


def test_a_deadline_is_repeated_until_the_render_stops():
    swallowed = []

    def render_that_swallows_once():
        try:
            _busy(0.5)
        except Exception as exc:
            swallowed.append(exc)
        _busy(10)
        return "fini"

    started = time.monotonic()
    with pytest.raises(RenderTimeout):
        with_deadline(render_that_swallows_once, 0.05)
    assert time.monotonic() - started < 3 and len(swallowed) == 1
