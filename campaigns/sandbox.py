"""A Jinja2 sandbox for templates that volunteers write: bounded in memory and time.

Jinja2's SandboxedEnvironment already keeps a template away from private attributes and
unsafe callables. On top of it, this module refuses the operations whose cost the template
chooses (a huge repetition, width, padding or replacement) and stops a render that runs too
long, so that one template saved by anyone can neither exhaust a worker's memory nor hold
it forever.
"""

from __future__ import annotations

import ctypes
import functools
import operator
import re
import threading
from collections.abc import Callable

from django.utils.translation import gettext as _
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_RANGE = 1000
MAX_SIZE = 100_000  # characters or items a single operation may produce
RENDER_SECONDS = 2.0

# A width or precision in a %-format or a str.format spec: "%1000000s", "{:>1000000}".
_FORMAT_NUMBER = re.compile(r"(?:%[-+ #0]*|[:<>^=+ #0,_.]|\.)(\d{6,})")


def _too_big(values) -> bool:
    return any(isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE for value in values)


def _check_format(template: str) -> None:
    if isinstance(template, str) and _FORMAT_NUMBER.search(template):
        raise SecurityError(_("largeur de format trop grande"))


def _check_replace(text, old, new, count=-1) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        occurrences = len(text) + 1 if old == "" else text.count(old)
        if count is not None and count >= 0:
            occurrences = min(occurrences, count)
        if len(text) + occurrences * len(new) > MAX_SIZE:
            raise SecurityError(_("texte produit trop long"))


def _guard_arguments(name: str, args: tuple, kwargs: dict) -> None:
    if _too_big((*args, *kwargs.values())):
        raise SecurityError(_("valeur trop grande pour « %(name)s »") % {"name": name})


def _guarded_filter(name: str, function: Callable) -> Callable:
    @functools.wraps(function)  # keeps Jinja's pass_context / pass_environment marks
    def guarded(*args, **kwargs):
        _guard_arguments(name, args, kwargs)
        values = [arg for arg in args if isinstance(arg, str)]
        if name == "replace" and len(values) >= 3:
            _check_replace(*values[-3:], kwargs.get("count", args[-1] if isinstance(args[-1], int) else -1))
        if name == "format" and values:
            _check_format(values[0])
        return function(*args, **kwargs)

    return guarded


class LetterSandbox(SandboxedEnvironment):
    """The sandbox, with operations whose cost a template cannot choose."""

    intercepted_binops = frozenset(["*", "**", "%"])

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "**":
            if not isinstance(right, (int, float)) or abs(right) > 100:
                raise SecurityError(_("puissance trop grande"))
            return operator.pow(left, right)
        if operator_name == "%":
            _check_format(left)
            return operator.mod(left, right)
        for sequence, count in ((left, right), (right, left)):
            repeated = isinstance(sequence, (str, list, tuple)) and isinstance(count, int)
            if repeated and len(sequence) * count > MAX_SIZE:
                raise SecurityError(_("texte ou liste trop long"))
        return operator.mul(left, right)

    def call(__self, __context, __obj, *args, **kwargs):
        name = getattr(__obj, "__name__", "?")
        if __obj is not bounded_range:  # range() says its own limit
            _guard_arguments(name, args, kwargs)
        # Jinja wraps str.format in its own safe formatter: look through the wrapper.
        bound_to = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(bound_to, str):
            if name == "replace" and len(args) >= 2:
                _check_replace(bound_to, args[0], args[1], args[2] if len(args) > 2 else -1)
            elif name in ("format", "format_map"):
                _check_format(bound_to)
            elif name == "join" and args:
                _check_join(bound_to, args[0])
        return super().call(__context, __obj, *args, **kwargs)


def _check_join(separator: str, items) -> None:
    if isinstance(items, (list, tuple)) and len(separator) * len(items) > MAX_SIZE:
        raise SecurityError(_("texte produit trop long"))


def bounded_range(*args) -> range:
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise SecurityError(_("range() est limité à %(max)s éléments") % {"max": MAX_RANGE})
    return values


def environment() -> LetterSandbox:
    env = LetterSandbox(autoescape=True)
    env.filters = {name: _guarded_filter(name, function) for name, function in env.filters.items()}
    env.globals = {"range": bounded_range}
    return env


class RenderTimeout(Exception):
    """Raised inside a render that took longer than its deadline."""


def with_deadline(function: Callable[[], str], seconds: float = RENDER_SECONDS) -> str:
    """Run ``function`` and interrupt it if it runs longer than ``seconds``.

    Loops in a template are Python bytecode: an exception set asynchronously on the
    rendering thread stops them at the next instruction, whatever thread or server runs
    them. The lock makes sure it never lands after the function has returned.
    """
    target = threading.get_ident()
    lock = threading.Lock()
    finished = False

    def interrupt():
        with lock:
            if not finished:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(RenderTimeout))

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        result = function()
        with lock:
            finished = True
        return result
    finally:
        timer.cancel()
