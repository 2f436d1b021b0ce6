"""A Jinja2 sandbox for templates that volunteers write: bounded in memory and time.

Jinja2's SandboxedEnvironment already keeps a template away from private attributes and
unsafe callables. On top of it, this module refuses the operations whose cost the template
chooses (a huge repetition, width, padding or replacement, a string or a number that grows
at each turn of a loop), before they run: one C-level operation cannot be interrupted. It
also stops a render that runs too long, so that one template saved by anyone can neither
exhaust a worker's memory nor hold it forever.
"""

from __future__ import annotations

import ctypes
import functools
import operator
import re
import threading
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_RANGE = 1000
MAX_SIZE = 100_000  # characters or items a single repetition, padding or replacement may produce
# Weight (characters, items, digits) of any value an operation takes or makes, and of
# what a template outputs: a string that doubles at each turn of a loop stops here.
MAX_VALUE = 1_000_000
MAX_OUTPUT = 200_000
# Integers: 4096 bits (about 1,200 digits). Multiplying or raising bigger numbers is one
# C-level operation that no deadline interrupts, so the size is checked before.
MAX_INT_BITS = 4096
RENDER_SECONDS = 2.0

# A width or precision in a %-format or a str.format spec: "%1000000s", "{:>1000000}".
_FORMAT_NUMBER = re.compile(r"(?:%[-+ #0]*|[:<>^=+ #0,_.]|\.)(\d{6,})")


def weight(value, limit: int = MAX_VALUE) -> int:
    """Characters, items and digits of ``value`` and what it holds, counted up to a little
    past ``limit``: what turning it into text, or copying it, may cost."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item) + 1
            stack.extend(item)
        elif isinstance(item, dict):
            total += len(item) + 1
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 1
    return total


def _check_weight(*values, limit: int = MAX_VALUE) -> None:
    if sum(weight(value, limit) for value in values) > limit:
        raise SecurityError(_("texte ou liste trop long"))


def _too_big(values) -> bool:
    return any(isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE for value in values)


def _check_format(template: str, arguments=()) -> None:
    """Refuse a huge width, or a format that repeats its arguments into a huge text
    ("{0}{0}{0}…", "%(a)s%(a)s…")."""
    if not isinstance(template, str):
        return
    if _FORMAT_NUMBER.search(template):
        raise SecurityError(_("largeur de format trop grande"))
    if isinstance(arguments, dict):
        arguments = list(arguments.values())
    elif not isinstance(arguments, (list, tuple)):
        arguments = [arguments]
    # An integer argument may be a width ("{:{}}", "%*s"): it counts as what it may produce.
    largest = max((max(weight(arg), arg if type(arg) is int else 0) for arg in arguments), default=0)
    placeholders = template.count("%") + template.count("{")
    if len(template) + placeholders * largest > MAX_VALUE:
        raise SecurityError(_("texte produit trop long"))


def _check_replace(text, old, new, count=-1) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        occurrences = len(text) + 1 if old == "" else text.count(old)
        if count is not None and count >= 0:
            occurrences = min(occurrences, count)
        if len(text) + occurrences * len(new) > MAX_SIZE:
            raise SecurityError(_("texte produit trop long"))


def _check_join(separator, items) -> list:
    """The items to join, once their joined text is known to stay small."""
    if not isinstance(items, (str, dict, list, tuple)):
        items = list(items)
    separator = separator if isinstance(separator, str) else ""
    if len(separator) * len(items) + weight(items) > MAX_VALUE:
        raise SecurityError(_("texte produit trop long"))
    return items


def _length(value) -> int:
    return value if isinstance(value, int) else len(value) if isinstance(value, str) else 0


def _check_spread(text, width, per: str) -> None:
    """indent(), expandtabs(), wordwrap() insert ``width`` characters at each ``per``."""
    if isinstance(text, str) and text.count(per) * _length(width) > MAX_VALUE:
        raise SecurityError(_("texte produit trop long"))


def _guard_arguments(name: str, args: tuple, kwargs: dict) -> None:
    if _too_big((*args, *kwargs.values())):
        raise SecurityError(_("valeur trop grande pour « %(name)s »") % {"name": name})
    _check_weight(*args, *kwargs.values())


def _filter_checks(name: str, args: list, kwargs: dict) -> None:
    """Filters whose output can be much bigger than their input: checked before."""
    values = [arg for arg in args if isinstance(arg, str)]
    if name == "replace" and len(values) >= 3:
        _check_replace(*values[-3:], kwargs.get("count", args[-1] if isinstance(args[-1], int) else -1))
    elif name == "format" and values:
        _check_format(values[0], [*args[1:], *kwargs.values()])
    elif name == "join" and args:
        args[0] = _check_join(args[1] if len(args) > 1 else kwargs.get("d", ""), args[0])
    elif name == "indent" and args:
        _check_spread(args[0], args[1] if len(args) > 1 else kwargs.get("width", 4), "\n")
    elif name == "wordwrap" and args:
        wrap = kwargs.get("wrapstring", args[3] if len(args) > 3 else "\n")
        width = max(1, args[1] if len(args) > 1 and isinstance(args[1], int) else kwargs.get("width", 79))
        if isinstance(args[0], str) and len(args[0]) // width * (_length(wrap) + 1) > MAX_VALUE:
            raise SecurityError(_("texte produit trop long"))
    elif name == "tojson":
        indent = args[1] if len(args) > 1 else kwargs.get("indent")
        if indent is not None and weight(args[0]) * (_length(indent) + 1) > MAX_VALUE:
            raise SecurityError(_("texte produit trop long"))
    elif name == "sum":
        start = args[2] if len(args) > 2 else kwargs.get("start", 0)
        if not isinstance(start, (int, float)):  # sum() of lists or strings copies them again and again
            raise SecurityError(_("« sum » n'additionne que des nombres"))


def _guarded_filter(name: str, function: Callable) -> Callable:
    @functools.wraps(function)  # keeps Jinja's pass_context / pass_environment marks
    def guarded(*args, **kwargs):
        _guard_arguments(name, args, kwargs)
        # The environment, context or eval context Jinja passes first is no input.
        marked = getattr(function, "jinja_pass_arg", None) is not None
        head, inputs = (list(args[:1]), list(args[1:])) if marked else ([], list(args))
        _filter_checks(name, inputs, kwargs)
        result = function(*head, *inputs, **kwargs)
        _check_weight(result)
        return result

    return guarded


class OutputBuffer(list):
    """Where a block, a macro or ``{% set %}…{% endset %}`` collects its output: it
    counts what it holds, so that a loop inside one stops at MAX_OUTPUT, not at the end."""

    size = 0

    def append(self, piece) -> None:
        self._count([piece])
        super().append(piece)

    def extend(self, pieces) -> None:
        pieces = list(pieces)
        self._count(pieces)
        super().extend(pieces)

    def _count(self, pieces) -> None:
        self.size += sum(len(piece) if isinstance(piece, str) else weight(piece) for piece in pieces)
        if self.size > MAX_OUTPUT:
            raise SecurityError(_("texte produit trop long"))


class _BoundedCodeGenerator(CodeGenerator):
    """Blocks write into an OutputBuffer; ``a ~ b ~ c`` weighs its parts before joining them."""

    def buffer(self, frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.output_buffer()")

    def visit_Concat(self, node, frame) -> None:
        if frame.eval_ctx.volatile:
            function = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            function = "markup_join"
        else:
            function = "str_join"
        self.write(f"{function}(environment.concat_parts((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write(")))")


def bounded_concat(pieces: Iterable[str]) -> str:
    """Join what a template (or one of its blocks) outputs, stopping as soon as it grows
    past MAX_OUTPUT: a loop that prints a long text many times ends there."""
    kept, total = [], 0
    for piece in pieces:
        total += len(piece)
        if total > MAX_OUTPUT:
            raise SecurityError(_("texte produit trop long"))
        kept.append(piece)
    return "".join(kept)


def _bounded_finalize(value):
    _check_weight(value, limit=MAX_OUTPUT)
    return value


class LetterSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with operations whose cost a template cannot choose. Immutable: a
    template cannot grow a list or a dict in place (append, update…) where no check sees it."""

    code_generator_class = _BoundedCodeGenerator
    concat = staticmethod(bounded_concat)
    intercepted_binops = frozenset(["*", "**", "%", "+"])

    output_buffer = OutputBuffer

    def concat_parts(self, parts: tuple) -> tuple:
        _check_weight(*parts)
        return parts

    def call_binop(self, context, operator_name, left, right):
        _check_weight(left, right)
        if operator_name == "**":
            if not isinstance(right, (int, float)) or abs(right) > 100:
                raise SecurityError(_("puissance trop grande"))
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() * right > MAX_INT_BITS:
                raise SecurityError(_("nombre trop grand"))
            return operator.pow(left, right)
        if operator_name == "%":
            _check_format(left, right)
            return operator.mod(left, right)
        if operator_name == "+":
            return operator.add(left, right)  # both weighed: the sum is at most twice the limit
        both_ints = all(isinstance(value, int) for value in (left, right))
        if both_ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise SecurityError(_("nombre trop grand"))
        for sequence, count in ((left, right), (right, left)):
            repeated = isinstance(sequence, (str, list, tuple)) and isinstance(count, int)
            if repeated and weight(sequence) * count > MAX_SIZE:
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
                _check_format(bound_to, [*args, *kwargs.values()])
            elif name == "join" and args:
                args = (_check_join(bound_to, args[0]), *args[1:])
            elif name == "expandtabs":
                _check_spread(bound_to, args[0] if args else kwargs.get("tabsize", 8), "\t")
            elif name in ("translate", "maketrans"):
                raise SecurityError(_("« %(name)s » n'est pas permis") % {"name": name})
        result = super().call(__context, __obj, *args, **kwargs)
        _check_weight(result)
        return result


def bounded_range(*args) -> range:
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise SecurityError(_("range() est limité à %(max)s éléments") % {"max": MAX_RANGE})
    return values


def environment() -> LetterSandbox:
    env = LetterSandbox(autoescape=True, finalize=_bounded_finalize)
    env.filters = {name: _guarded_filter(name, function) for name, function in env.filters.items()}
    env.globals = {"range": bounded_range}
    return env


# How often an interruption is sent again after the deadline, while the function goes on.
RESEND_SECONDS = 0.05
_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


class RenderTimeout(Exception):
    """Raised inside a render that took longer than its deadline."""


_TIMEOUT = ctypes.py_object(RenderTimeout)


def with_deadline(function: Callable[[], str], seconds: float = RENDER_SECONDS) -> str:
    """Run ``function`` and interrupt it if it runs longer than ``seconds``.

    Loops in a template are Python bytecode: an exception set asynchronously on the
    rendering thread stops them at the next instruction, whatever thread or server runs
    them. It can land in code that reports and swallows any exception (a logging handler
    while WeasyPrint logs, a library's ``except Exception``): it is therefore sent again
    until the function stops, and a function that returns after its deadline counts as
    stopped. The watcher sends only while the function runs (never into thread start-up
    or the caller): the lock orders its sends with the stop, and the stop drops one sent
    but not yet raised.
    """
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    armed, finished = threading.Event(), threading.Event()
    fired = stopped = False

    def interrupt():
        nonlocal fired
        armed.wait()
        wait = seconds
        while not finished.wait(wait):
            with lock:
                if stopped:
                    return
                fired = True
                _set_async_exc(target, _TIMEOUT)
            wait = RESEND_SECONDS

    threading.Thread(target=interrupt, daemon=True).start()
    armed.set()
    try:
        result = function()
    except RenderTimeout:
        raise
    except BaseException as exc:
        if fired:  # a library turned the interruption into an error of its own
            raise RenderTimeout from exc
        raise
    finally:
        # Straight-line code only until the watcher is stopped: an interruption raised here
        # is caught and the stop tried again.
        while True:
            try:
                with lock:
                    stopped = True
                    _set_async_exc(target, None)
                break
            except RenderTimeout:
                fired = True
        finished.set()
    if fired:
        raise RenderTimeout
    return result
