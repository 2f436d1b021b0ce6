"""A template cannot grow a text, a list or a number step by step until one C-level
operation (that no deadline interrupts) exhausts the worker: each step is weighed first."""

import time

import pytest
from jinja2.exceptions import SecurityError

from campaigns.letters.sandbox import RenderTimeout, environment, with_deadline

ENV = environment()
BIG = "'x' * 99999"


def render(source: str, seconds: float = 1.0, **context) -> str:
    return with_deadline(lambda: ENV.from_string(source).render(**context), seconds)


@pytest.mark.parametrize(
    "source",
    [
        # A text that doubles at each turn, by ~, + and join, through a list or a macro.
        f"{{% set l = [{BIG}] %}}{{% for i in range(30) %}}{{{{ l.append(l[-1] ~ l[-1]) }}}}{{% endfor %}}",
        f"{{% macro grow(s, n) %}}{{% if n %}}{{{{ grow(s ~ s, n - 1) }}}}{{% endif %}}{{% endmacro %}}"
        f"{{{{ grow({BIG}, 30) }}}}",
        f"{{% macro grow(s, n) %}}{{% if n %}}{{{{ grow(s + s, n - 1) }}}}{{% endif %}}{{% endmacro %}}"
        f"{{{{ grow({BIG}, 30) }}}}",
        f"{{% macro grow(s, n) %}}{{% if n %}}{{{{ grow([s, s]|join, n - 1) }}}}{{% endif %}}{{% endmacro %}}"
        f"{{{{ grow({BIG}, 30) }}}}",
        f"{{% macro grow(s, n) %}}{{% if n %}}{{{{ grow(''.join([s, s]), n - 1) }}}}{{% endif %}}{{% endmacro %}}"
        f"{{{{ grow({BIG}, 30) }}}}",
        # Many references to one long text, then turned into one text.
        f"{{{{ [{BIG}] * 1000 }}}}",
        f"{{{{ ([{BIG}] * 1000)|join }}}}",
        f"{{{{ ({BIG})|batch(99999, fill_with={BIG})|list }}}}",
        f"{{% for i in range(1000) %}}{{{{ {BIG} }}}}{{% endfor %}}",
        f"{{% set s %}}{{% for i in range(1000) %}}{{% for j in range(1000) %}}{{{{ {BIG} }}}}{{% endfor %}}"
        "{% endfor %}{% endset %}{{ s|length }}",
        # One step that multiplies a long text.
        "{{ ('{0}' * 30000).format('x' * 99999) }}",
        "{{ ('%(a)s' * 15000) % {'a': 'x' * 99999} }}",
        "{{ ('y' * 99999).join('x' * 99999) }}",
        "{{ ('{:{}}' * 2000).format(*([99999] * 4000)) }}",
        "{{ ('%*s' * 2000) % ((99999, 'x') * 2000) }}",
        "{{ ('\\t' * 99999).expandtabs(99999) }}",
        "{{ ('x\\n' * 49999)|indent(99999) }}",
        "{{ ('x' * 99999)|wordwrap(1, wrapstring='y' * 99999) }}",
        f"{{{{ ([{BIG}] * 1)|sum(start=[]) }}}}",
        # Big integers: by the size of the operands, not only the exponent.
        "{% set a = 10 ** 99 %}{% set b = a * a %}{% set c = b * b %}{% set d = c * c %}{% set e = d * d %}"
        "{% set f = e * e %}{% set g = f * f %}{{ g * g }}",
        "{{ ((9 ** 99) ** 99) ** 99 }}",
        "{{ (10 ** 99) ** 50 }}",
    ],
)
def test_growth_step_by_step_is_refused_before_it_costs(source):
    started = time.monotonic()
    with pytest.raises(SecurityError):
        render(source, seconds=5)
    # Refused before the costly step: that step alone would take seconds, or all memory.
    assert time.monotonic() - started < 1


def test_numbers_and_texts_of_a_letter_stay_usable():
    source = (
        "{{ 10 ** 20 * 10 ** 20 }} {{ (2 ** 10) ** 3 }} {{ 'ab' ~ 'cd' ~ 3 }} {{ 'ab' + 'cd' }} "
        "{{ [1, 2] + [3] }} {{ ['a', 'b']|join(', ') }} {{ [1, 2, 3]|sum }} {{ '%s/%s' % (1, 2) }}"
        "{% for m in measures %}{{ m.code }}{% if not loop.last %}, {% endif %}{% endfor %}"
    )
    assert render(source, measures=[{"code": "01"}, {"code": "02"}]) == (
        f"{10**40} {2**30} abcd3 abcd [1, 2, 3] a, b 6 1/2" + "01, 02"
    )


def test_a_long_loop_of_cheap_steps_is_still_stopped_by_the_deadline():
    with pytest.raises(RenderTimeout):
        render(
            "{% for a in range(1000) %}{% for b in range(1000) %}{% if a ~ b %}{% endif %}{% endfor %}{% endfor %}",
            0.2,
        )
