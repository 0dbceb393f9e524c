"""The Jinja2 environment of the HTML pages: templates found beside this module (never through the
working directory), autoescaping on, and the filters that turn IRIs into links to served pages."""

import json
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup, escape
from rdflib import Graph, Literal, URIRef

from plenipot import __version__
from plenipot.namespaces import BASE, PREFIXES

TEMPLATES = Path(__file__).resolve().parent / "templates"


def href(iri, root: str = "") -> str:
    """Where a page links for an IRI: ``/id/…`` and ``/def#…`` on this service, else the IRI."""
    iri = str(iri)
    if iri.startswith(BASE + "id/"):
        return root + "/id/" + iri[len(BASE) + 3:]
    if iri.startswith(BASE + "def"):
        return root + "/def" + iri[len(BASE) + 3:]
    return iri


def curie(iri) -> str:
    """``pp:submittedBy`` for a known namespace, else the IRI itself."""
    iri = str(iri)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(namespace) and prefix != "ppid":
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


@pass_context
def label_filter(context, iri) -> str:
    if iri is None:
        return ""
    text = context.get("labels", {}).get(str(iri))
    if text or not str(iri).startswith(BASE):
        return text or str(iri)
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@pass_context
def link_filter(context, iri, text=None) -> Markup:
    """An ``<a>`` to the served page of an IRI, labelled from the page's labels."""
    if iri is None or iri == "":
        return Markup("")
    if not isinstance(iri, URIRef) and not str(iri).startswith(("http://", "https://")):
        return escape(str(iri))
    target = href(iri, context.get("root", ""))
    external = not target.startswith(context.get("root", "") + "/")
    attrs = ' rel="external"' if external else ""
    return Markup(f'<a href="{escape(target)}"{attrs}>'
                  f"{escape(text if text is not None else label_filter(context, iri))}</a>")


@pass_context
def term_filter(context, value) -> Markup:
    """A link for an IRI, the text (and language tag) for a literal."""
    if isinstance(value, URIRef):
        return link_filter(context, value)
    if isinstance(value, Literal) and value.language and value.language != "en":
        return Markup(f'<span lang="{escape(value.language)}">{escape(str(value))}</span>')
    return escape(str(value))


def jsonld_filter(graph: Graph) -> Markup:
    """The graph as JSON-LD, safe inside ``<script type="application/ld+json">``."""
    text = graph.serialize(format="json-ld", indent=1)
    json.loads(text)  # fail loudly here, not in a reader's parser
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def flag(value) -> bool | None:
    """A boolean literal as True / False; None when absent or not a boolean."""
    python = value.toPython() if isinstance(value, Literal) else value
    return python if isinstance(python, bool) else None


def action_class(action) -> str:
    action = str(action or "").lower()
    return f"action action-{action}" if action in ("add", "mod", "sup", "noc") else "action"


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(href=href, curie=curie, label=label_filter, link=link_filter,
                       term=term_filter, jsonld=jsonld_filter, action_class=action_class, flag=flag,
                       key=lambda iri: str(iri or "").rstrip("/").rsplit("/", 1)[-1])
    env.globals.update(version=__version__)
    return env


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)
