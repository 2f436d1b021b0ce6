"""Letter templates: a sandboxed template language and the merge fields it can reach.

Templates are written by collectives, so they run in Jinja2's sandbox with autoescaping:
they reach only the plain data of their context (no model, no setting, no private
attribute), cannot build huge strings or ranges, and every merge field is escaped.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import nh3
from django.utils import formats, translation
from django.utils.translation import gettext as _
from jinja2 import TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, TemplateError

from campaigns.letters.sandbox import MAX_OUTPUT, RenderTimeout, environment, with_deadline
from core.text import of

# What the HTML of a rendered field may hold. Links only to the web and to e-mail addresses:
# WeasyPrint turns every href (and the CSS "link" property) into a link annotation of the
# PDF, and a "javascript:", "file:" or "data:" link has no place in a letter to an official.
# No style (it may set "link"), no id (the PDF cut relies on its own ids).
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "div", "em", "h1", "h2", "h3", "h4", "hr", "i", "li", "ol", "p", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
LINK_SCHEMES = ("http://", "https://", "mailto:")
# A blank line, or one of spaces only (what a line holding only template tags leaves).
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


ENVIRONMENT = environment()


class TemplateInvalid(ValueError):
    """A template that does not compile or render: ``line`` and ``reason`` say why."""

    def __init__(self, field: str, line: int | None, reason: str):
        self.field, self.line, self.reason = field, line, reason
        where = _("ligne %(line)s : ") % {"line": line} if line else ""
        super().__init__(f"{where}{reason}")


# Jinja's messages are English: the usual ones, said in French to the people who write
# templates. Tokens as Jinja describes them, then (pattern, message) pairs.
TOKENS = {
    "end of print statement": "}}",
    "begin of print statement": "{{",
    "end of statement block": "%}",
    "begin of statement block": "{%",
    "end of comment": "#}",
    "begin of comment": "{#",
    "end of template": "fin du modèle",
    "template data / text": "texte",
}


def _token(description: str) -> str:
    return TOKENS.get(description, description)


def _wanted_tag(looking_for: str) -> str:
    """The closing tag among Jinja's "'elif' or 'else' or 'endif'": the one that ends the block."""
    tags = re.findall(r"'([^']+)'", looking_for)
    closing = [tag for tag in tags if tag.startswith("end")] or tags
    return closing[-1] if closing else ""


def _unexpected_end(match: re.Match) -> str:
    block = match["block"] or ""
    tag = _wanted_tag(match["looking"] or "") or f"end{block}"
    return _("le bloc « %(block)s » n'est pas fermé : « {%% %(tag)s %%} » manquant.") % {
        "block": block or tag.removeprefix("end"),
        "tag": tag,
    }


def _unknown_tag(match: re.Match) -> str:
    if match["looking"]:
        return _("balise « %(name)s » inattendue : « {%% %(tag)s %%} » attendu.") % {
            "name": match["name"],
            "tag": _wanted_tag(match["looking"]),
        }
    return _("balise « %(name)s » inconnue.") % {"name": match["name"]}


REASONS = [
    (
        r"unexpected end of template, expected '(?P<token>.+)'\.",
        lambda m: (
            _("le modèle se termine avant la fin d'un champ : « %(token)s » manquant.") % {"token": _token(m["token"])}
        ),
    ),
    (
        r"Unexpected end of template\.(?: Jinja was looking for the following tags: (?P<looking>.+?)\.)?"
        r"(?: The innermost block that needs to be closed is '(?P<block>\w+)'\.)?",
        _unexpected_end,
    ),
    (
        r"Encountered unknown tag '(?P<name>[^']+)'\.(?: You probably made a nesting mistake\. Jinja is expecting "
        r"this tag, but currently looking for (?P<looking>.+?)\.| Jinja was looking for the following tags: "
        r"(?P<looking2>.+?)\.)?(?: The innermost block .*)?",
        lambda m: _unknown_tag({"name": m["name"], "looking": m["looking"] or m["looking2"]}),
    ),
    (
        r"expected token '(?P<expected>.+)', got '(?P<got>.+)'",
        lambda m: (
            _("« %(expected)s » attendu, « %(got)s » trouvé.")
            % {"expected": _token(m["expected"]), "got": _token(m["got"])}
        ),
    ),
    (
        r"Expected an expression, got '(?P<got>.+)'",
        lambda m: _("une valeur est attendue, « %(got)s » trouvé.") % {"got": _token(m["got"])},
    ),
    (
        r"unexpected '(?P<char>.+)', expected '(?P<expected>.+)'",
        lambda m: (
            _("« %(char)s » inattendu, « %(expected)s » attendu.") % {"char": m["char"], "expected": m["expected"]}
        ),
    ),
    (r"unexpected '(?P<char>.+)'", lambda m: _("« %(char)s » inattendu.") % {"char": _token(m["char"])}),
    (r"unexpected char '(?P<char>.+)' at \d+", lambda m: _("caractère « %(char)s » inattendu.") % {"char": m["char"]}),
    (r"tag name expected", lambda m: _("nom de balise attendu après « {% ».")),
    (r"No filter named '(?P<name>.+)'\.", lambda m: _("le filtre « %(name)s » n'existe pas.") % {"name": m["name"]}),
    (r"No test named '(?P<name>.+)'\.", lambda m: _("le test « %(name)s » n'existe pas.") % {"name": m["name"]}),
    (r"'(?P<name>.+)' is undefined", lambda m: _("« %(name)s » n'est pas défini.") % {"name": m["name"]}),
    (
        r"'(?P<object>.+)' has no attribute '(?P<name>.+)'",
        lambda m: _("le champ « %(name)s » n'existe pas.") % {"name": m["name"]},
    ),
    (
        r"access to attribute '(?P<name>.+)' of '.+' object is unsafe\.",
        lambda m: _("accès à « %(name)s » interdit.") % {"name": m["name"]},
    ),
    (r"(?:integer |float )?division (?:or modulo )?by zero", lambda m: _("division par zéro.")),
]


def french_reason(message: str) -> str:
    """Jinja's reason for refusing a template, in French (as is when it is not a usual one)."""
    message = message.strip()
    for pattern, french in REASONS:
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match:
            return french(match)
    return message


def _check_syntax(field: str, source: str):
    try:
        return ENVIRONMENT.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateInvalid(field, exc.lineno, french_reason(exc.message or str(exc))) from exc


def validate(fields: dict[str, str], sample_context: dict) -> None:
    """Refuse a template that does not compile, or fails on a sample letter."""
    for field, source in fields.items():
        tree = _check_syntax(field, source)
        # "{% extends %}", "{% include %}" and "{% import %}" would read other files.
        for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            raise TemplateInvalid(field, node.lineno, _("les inclusions de fichiers ne sont pas permises."))
        render(field, source, sample_context)


@lru_cache(maxsize=64)
def _compiled(source: str):
    # Compiling a field costs more than rendering it for one letter, and a batch renders
    # the same few fields for hundreds of letters: compile each source once per process.
    # A source that does not compile raises, and exceptions are not cached.
    return ENVIRONMENT.from_string(source)


def render(field: str, source: str, context: dict) -> str:
    """Render one template field; errors become TemplateInvalid with their line."""
    try:
        template = _compiled(source)
        output = with_deadline(lambda: template.render(context))
    except TemplateSyntaxError as exc:
        raise TemplateInvalid(field, exc.lineno, french_reason(exc.message or str(exc))) from exc
    except RenderTimeout as exc:
        raise TemplateInvalid(field, None, _("le modèle met trop de temps à produire le courrier.")) from exc
    except SecurityError as exc:
        reason = _("opération interdite : %(error)s") % {"error": french_reason(str(exc))}
        raise TemplateInvalid(field, _error_line(exc), reason) from exc
    except (TemplateError, TypeError, ValueError, ArithmeticError, RecursionError) as exc:
        raise TemplateInvalid(field, _error_line(exc), french_reason(str(exc))) from exc
    if len(output) > MAX_OUTPUT:
        raise TemplateInvalid(field, None, _("le texte produit est trop long."))
    return clean_html(output)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href" and not value.strip().lower().startswith(LINK_SCHEMES):
        return None
    return value


def clean_html(html: str) -> str:
    """The HTML a template produced, with only the tags, attributes and links a letter needs."""
    if "<" not in html:
        return html  # nothing to clean: the usual case, merge fields are escaped
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


def _error_line(exc: Exception) -> int | None:
    traceback = exc.__traceback__
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def body_html(text: str) -> str:
    """Paragraphs from blank lines (the text is already escaped). A single newline stays a
    newline, kept by the letter's stylesheet (white-space: pre-line): WeasyPrint lays out
    a <br> at about twice the cost of a line."""
    paragraphs = (paragraph.strip() for paragraph in PARAGRAPH_BREAK.split(text.replace("\r\n", "\n")))
    return "\n\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs if paragraph)


# Merge fields


def french_date(day: dt.date) -> str:
    """ "22 novembre 2026", with "1er" for the first of the month."""
    with translation.override("fr"):
        text = formats.date_format(day, "j F Y")
    return text.replace("1 ", "1er ", 1) if day.day == 1 else text


# role → (feminine, masculine) name of the function, as in "Madame la Maire".
ROLE_NAMES = {
    "maire": ("Maire", "Maire"),
    "adjoint": ("Adjointe au maire", "Adjoint au maire"),
    "conseiller_municipal": ("Conseillère municipale", "Conseiller municipal"),
    "conseiller_communautaire": ("Conseillère communautaire", "Conseiller communautaire"),
    "conseiller_departemental": ("Conseillère départementale", "Conseiller départemental"),
    "conseiller_regional": ("Conseillère régionale", "Conseiller régional"),
    "depute": ("Députée", "Député"),
    "senateur": ("Sénatrice", "Sénateur"),
}


def with_article(name: str, *, feminine: bool) -> str:
    """ "la Maire", "le Député", "l'Adjointe au maire"."""
    if name[:1] in "AEÉÈIOU":
        return f"l'{name}"
    return f"{'la' if feminine else 'le'} {name}"


def official_fields(*, first_name: str, last_name: str, sex: str, role: str, municipality_name: str = "") -> dict:
    feminine = sex == "F"
    civility = "Madame" if feminine else "Monsieur"
    pick = 0 if feminine else 1
    role_name = ROLE_NAMES.get(role, ("", ""))[pick]
    salutation = f"{civility} {with_article(role_name, feminine=feminine)}" if role_name else civility
    function = f"{role_name} {of(municipality_name)}" if role_name and municipality_name else role_name
    return {
        "first_name": first_name,
        "last_name": last_name,
        "full_name": f"{first_name} {last_name}",
        "sex": sex,
        "civility": civility,
        "role": role,
        "role_name": role_name,
        "function": function,
        "title": salutation,
        "salutation": salutation,
        "address_name": f"{civility} {first_name} {last_name}",
    }
