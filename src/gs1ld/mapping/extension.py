"""The extension vocabulary (``mappings/extension.ttl``), in the namespace in force.

The bundled file uses the ``urn:gs1ld:voc:`` namespace; publishing rewrites it
to the namespace the export used, as Turtle and as HTML, with one small page per
term so every http(s) term IRI gs1ld emits dereferences.
"""

from __future__ import annotations

from html import escape

from gs1ld._resources import read_text
from gs1ld.config import URN_EXTENSION_NAMESPACE

__all__ = ["extension_terms", "extension_turtle", "extension_vocabulary_files"]


def extension_turtle(namespace: str) -> str:
    """The vocabulary as Turtle in ``namespace``."""
    return read_text("mappings", "extension.ttl").replace(
        f"<{URN_EXTENSION_NAMESPACE}>", f"<{namespace}>"
    )


def extension_terms(namespace: str) -> list[dict[str, str]]:
    """Each term with its kind, label, comment, domain and range (for pages and checks)."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=extension_turtle(namespace), format="turtle")
    terms = []
    for subject in sorted(set(graph.subjects()), key=str):
        iri = str(subject)
        if not iri.startswith(namespace) or iri == namespace:
            continue

        def one(predicate: rdflib.URIRef, s: rdflib.term.Node = subject) -> str:
            value = graph.value(s, predicate)
            return "" if value is None else str(value)

        terms.append(
            {
                "iri": iri,
                "name": iri[len(namespace) :],
                "kind": one(rdflib.RDF.type).rsplit("#", 1)[-1],
                "label": one(rdflib.RDFS.label),
                "comment": one(rdflib.RDFS.comment),
                "domain": one(rdflib.RDFS.domain),
                "range": one(rdflib.RDFS.range),
            }
        )
    return terms


def _page(title: str, body: str) -> bytes:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:0 auto;"
        "padding:1rem;color:#1b1b1b}dt{font-weight:700;margin-top:1rem}code{overflow-wrap:anywhere}"
        "</style>\n</head>\n<body>\n<main>\n" + body + "</main>\n</body>\n</html>\n"
    ).encode("utf-8")


def _term_html(term: dict[str, str]) -> str:
    parts = [
        f'<dt id="{escape(term["name"])}"><code>{escape(term["iri"])}</code> '
        f"({escape(term['kind'])})</dt>",
        f"<dd>{escape(term['label'])}",
    ]
    if term["comment"]:
        parts.append(f". {escape(term['comment'])}")
    for key in ("domain", "range"):
        if term[key]:
            parts.append(f"<br>{key}: <code>{escape(term[key])}</code>")
    parts.append("</dd>")
    return "".join(parts)


def extension_vocabulary_files(namespace: str) -> dict[str, bytes]:
    """``voc/index.ttl``, ``voc/index.html`` and ``voc/{term}/index.html`` for a site."""
    terms = extension_terms(namespace)
    listing = "\n".join(_term_html(term) for term in terms)
    files = {
        "voc/index.ttl": extension_turtle(namespace).encode("utf-8"),
        "voc/index.html": _page(
            "gs1ld extension vocabulary",
            "<h1>gs1ld extension vocabulary</h1>\n<p>Terms for product data the "
            '<a href="https://ref.gs1.org/voc/">GS1 Web Vocabulary</a> has no term for. '
            f"Namespace <code>{escape(namespace)}</code>; "
            '<a href="index.ttl">Turtle</a>.</p>\n<dl>\n' + listing + "\n</dl>\n",
        ),
    }
    for term in terms:
        files[f"voc/{term['name']}/index.html"] = _page(
            f"{term['name']} – gs1ld extension vocabulary",
            f"<h1>{escape(term['name'])}</h1>\n<dl>\n{_term_html(term)}\n</dl>\n"
            '<p><a href="../index.html">All terms</a></p>\n',
        )
    return files
