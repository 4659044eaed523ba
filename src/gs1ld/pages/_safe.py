"""JSON that cannot end the ``<script>`` block it is embedded in.

Jinja2's autoescape handles text and attribute values, and
:func:`gs1ld._urls.safe_url` link targets; this covers JSON embedded in
``<script>``, where ``</script>`` or ``<!--`` would otherwise end the block.
"""

from __future__ import annotations

import orjson

__all__ = ["json_for_script"]

_SCRIPT_ESCAPES = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)


def json_for_script(value: object) -> str:
    """Serialise ``value`` as JSON that is safe inside ``<script type="application/...">``.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes, so neither
    ``</script>`` nor ``<!--`` can appear; ``JSON.parse`` gives back the same value.

    >>> json_for_script({"a": "</script><!--"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    data = orjson.dumps(value)
    for raw, escaped in _SCRIPT_ESCAPES:
        if raw in data:
            data = data.replace(raw, escaped)
    return data.decode("utf-8")
