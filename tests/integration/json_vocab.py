#!/usr/bin/env python3
"""json_vocab.py - hold evbctl's -j documents against its JSON vocabulary
(docs/json.md) and schema (docs/evbctl.schema.json), for test_json_vocab.sh.

    json_vocab.py SCHEMA DEF FILE [DEF FILE ...]

Each FILE holds one JSON document, or one per line when DEF ends in
"-lines" (evbctl -j monitor); each is validated against the schema's
$defs/DEF (without "-lines").  Then the vocabulary's first rule is checked
across all the documents together: a member name has one JSON type
everywhere.  Prints one line per problem ("FILE: ..."), exit 1 if any.
"""
import json
import sys

import jsonschema


def kind(v):
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "null"


def walk(v, where, names):
    """Every member name with the JSON type of its value and a place."""
    if isinstance(v, dict):
        for k, x in v.items():
            names.setdefault(k, {}).setdefault(kind(x), where + "." + k)
            walk(x, where + "." + k, names)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(x, "%s[%d]" % (where, i), names)


def main(argv):
    if len(argv) < 4 or len(argv) % 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        schema = json.load(f)
    problems, names, docs = [], {}, 0
    for d, path in zip(argv[2::2], argv[3::2]):
        lines = d.endswith("-lines")
        d = d[: -len("-lines")] if lines else d
        if d not in schema["$defs"]:
            problems.append("%s: the schema has no $defs/%s" % (path, d))
            continue
        sub = dict(schema, **{"$ref": "#/$defs/" + d})
        validator = jsonschema.Draft202012Validator(sub)
        with open(path) as f:
            text = f.read()
        if not text.strip():
            problems.append("%s: empty (the command printed nothing)" % path)
            continue
        chunks = [l for l in text.splitlines() if l.strip()] if lines else [text]
        for n, chunk in enumerate(chunks, 1):
            try:
                doc = json.loads(chunk)
            except ValueError as e:
                problems.append("%s:%d: not JSON: %s" % (path, n, e))
                continue
            docs += 1
            for e in validator.iter_errors(doc):
                at = "/".join(str(p) for p in e.absolute_path)
                problems.append("%s:%d: at /%s: %s" % (path, n, at, e.message))
            walk(doc, path, names)
    for name, types in sorted(names.items()):
        if len(types) > 1:
            problems.append("member \"%s\" has %d types: %s" % (
                name, len(types), ", ".join("%s (%s)" % (t, w) for t, w in sorted(types.items()))))
    for p in problems:
        print(p)
    print("%d documents, %d member names, %d problems" % (docs, len(names), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
