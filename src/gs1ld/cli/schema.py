"""``gs1ld schema``: print the catalog entry's JSON Schema."""

from __future__ import annotations

import json

import click

from gs1ld.catalog.entry import CatalogEntry


def entry_json_schema() -> dict[str, object]:
    """The JSON Schema of a catalog entry, generated from the models."""
    schema = CatalogEntry.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "gs1ld catalog entry"
    return schema


@click.command()
def schema() -> None:
    """Print the JSON Schema of a catalog entry (generated from gs1ld's models)."""
    click.echo(json.dumps(entry_json_schema(), indent=2, sort_keys=True))
