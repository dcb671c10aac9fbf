"""Messages in Korean and English: a catalog of keyed templates, and messages as data.

    >>> m = msg("checks.wrong_value")
    >>> m.render("en"), m.render("ko")
    ('returned a wrong value.', '잘못된 값을 반환했습니다.')

Every message a student sees is a :class:`Msg`: a catalog key and its parameters (plain strings
and numbers, JSON-ready), rendered in a language only when it is shown. Failures are stored as
data (see ``autograder.failures``), so one gradebook gives feedback in either language.

The catalog is TOML, one file per domain, each entry holding both languages side by side::

    [wrong_value]
    en = "returned a wrong value."
    ko = "잘못된 값을 반환했습니다."

- ``autograder/locales/<domain>.toml``: the engine's messages (``checks``, ``engine``,
  ``terminal``, ``page``...), keys ``<domain>.<name>``;
- ``autograder/graders/<assignment>/messages.toml``: one assignment's graders' and hints' own
  messages, keys ``<assignment>.<name>``.

Templates use ``str.format`` fields (``{call}``, ``{n:g}``); both languages of an entry must use
the same fields (a test checks every entry). :func:`choose_lang` picks the language: ``--lang``,
else ``AIMATH_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``ko_KR.UTF-8`` gives
Korean), else English.
"""

from __future__ import annotations

import functools
import os
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .course import GRADERS_DIR, PACKAGE_DIR

__all__ = [
    "LANGS",
    "DEFAULT_LANG",
    "Msg",
    "msg",
    "raw",
    "text",
    "catalog",
    "choose_lang",
    "Note",
    "encode_note",
    "decode_note",
    "render_note",
    "note_from_data",
    "CatalogError",
]

LANGS = ("en", "ko")
DEFAULT_LANG = "en"
LANG_VARIABLE = "AIMATH_LANG"
LOCALES_DIR = PACKAGE_DIR / "locales"


class CatalogError(ValueError):
    """A catalog file is malformed, or a message key is unknown."""


def _read_toml(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: {exc}") from None


def catalog_files() -> list[tuple[str, Path]]:
    """(domain, path) of every catalog file: the engine's, then each assignment's."""
    files = [(p.stem, p) for p in sorted(LOCALES_DIR.glob("*.toml"))]
    files += [(p.parent.name, p) for p in sorted(GRADERS_DIR.glob("*/messages.toml"))]
    return files


def load_catalog(files: Iterable[tuple[str, Path]]) -> dict[str, dict[str, str]]:
    """Key -> {lang: template}, from (domain, path) pairs; CatalogError on a malformed entry."""
    out: dict[str, dict[str, str]] = {}
    for domain, path in files:
        for name, entry in _read_toml(path).items():
            key = f"{domain}.{name}"
            if not isinstance(entry, dict) or not all(type(v) is str for v in entry.values()):
                raise CatalogError(
                    f"{path}: [{name}] must be a table of strings (en = ..., ko = ...)"
                )
            if key in out:
                raise CatalogError(f"{path}: {key} is defined twice")
            out[key] = dict(entry)
    return out


@functools.cache
def catalog() -> dict[str, dict[str, str]]:
    """The whole catalog (read once)."""
    return load_catalog(catalog_files())


def fields(template: str) -> set[str]:
    """The names of the format fields of a template ('{n:g} of {total}' -> {'n', 'total'})."""
    return {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f}


class _Params(dict):
    def __missing__(self, key: str) -> str:  # a missing parameter shows, never raises
        return "{" + key + "}"


@dataclass(frozen=True)
class Msg:
    """A message as data: a catalog key and its parameters (strings, numbers, lists of them, or
    other messages, rendered in the same language). ``key == ""`` is text that is not in the
    catalog (``raw``): it renders the same in every language."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str = DEFAULT_LANG) -> str:
        if not self.key:
            return str(self.params.get("text", ""))
        entry = catalog().get(self.key)
        if entry is None:
            raise CatalogError(f"no message {self.key!r} in the catalog")
        template = entry.get(lang) or entry[DEFAULT_LANG]
        params = _Params({k: _render_param(v, lang) for k, v in self.params.items()})
        try:
            return string.Formatter().vformat(template, (), params)
        except (ValueError, TypeError, IndexError, KeyError):
            # a parameter that does not fit its field's format (a str for {n:g})
            plain = _Params({k: str(v) for k, v in params.items()})
            return string.Formatter().vformat(_plain_fields(template), (), plain)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANG)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": {k: _param_json(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Any) -> Msg:
        """The inverse of :meth:`to_json` (a plain string becomes a raw message)."""
        if isinstance(data, str):
            return raw(data)
        if not isinstance(data, dict):
            return raw(str(data))
        params = data.get("params") or {}
        return cls(
            str(data.get("key", "")), {str(k): _param_from_json(v) for k, v in params.items()}
        )


def _plain_fields(template: str) -> str:
    """The template with its fields' format specs dropped ('{n:g}' -> '{n}')."""
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is not None:
            out.append("{" + name + "}")
    return "".join(out)


def _render_param(value: Any, lang: str) -> Any:
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, list | tuple) and any(isinstance(v, Msg) for v in value):
        return ", ".join(_render_param(v, lang) for v in value)
    return value


def _param_json(value: Any) -> Any:
    if isinstance(value, Msg):
        return {"msg": value.to_json()}
    if isinstance(value, list | tuple):
        return [_param_json(v) for v in value]
    if value is None or type(value) in (str, int, float, bool):
        return value
    return str(value)


def _param_from_json(value: Any) -> Any:
    if isinstance(value, dict) and "msg" in value:
        return Msg.from_json(value["msg"])
    if isinstance(value, list):
        return [_param_from_json(v) for v in value]
    return value


def msg(key: str, /, **params: Any) -> Msg:
    """A catalog message (KeyError-free: an unknown key fails when rendered, and in the tests)."""
    return Msg(key, params)


def raw(text: str) -> Msg:
    """Text that is not in the catalog (what a grader wrote in English only, or a submission's
    own words such as an exception's message): shown as is in every language."""
    return Msg("", {"text": text})


def text(key: str, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
    """One catalog message rendered: ``text("terminal.total", "ko", score=3, max=5)``."""
    return Msg(key, params).render(lang)


class Note(str):
    """A note on a file: its English text (so it reads and compares as text), and the message it
    renders from (``note.msg``), for the other language."""

    msg: Msg

    def __new__(cls, message: Msg) -> Note:
        note = super().__new__(cls, message.render(DEFAULT_LANG))
        note.msg = message
        return note


NOTE_PREFIX = '{"key": "'


def encode_note(note: Msg | str) -> str:
    """A note on a file (a message, or text) as one line of text, for where notes are stored
    as text (the gradebook's submissions.message, the batch's replies): a message is its JSON."""
    if isinstance(note, Note):
        note = note.msg
    if isinstance(note, Msg) and note.key:
        import json

        return json.dumps(note.to_json(), ensure_ascii=False)
    return str(note).replace("\n", " ")


def decode_note(line: str) -> Msg:
    """The inverse of :func:`encode_note`: a message whose key is in the catalog, else the line
    as text. (A line may come from an older gradebook, or be a submission's words: it is only
    ever looked up in the catalog and formatted, never evaluated.)"""
    if line.startswith(NOTE_PREFIX):
        import json

        try:
            data = json.loads(line)
        except ValueError:
            return raw(line)
        note = Msg.from_json(data)
        if note.key in catalog():
            return note
    return raw(line)


def note_from_data(value: Any, max_chars: int = 1000) -> Msg:
    """A note as the worker sends it (after the wire decoder), checked: a catalog key and flat
    parameters (strings, cut to ``max_chars``, and numbers) make its message; text is shown as
    text; anything else is an empty note. Nothing in it is evaluated."""
    if type(value) is str:
        return raw(value[:max_chars])
    if type(value) is not dict or type(value.get("key")) is not str:
        return raw("")
    params = value.get("params")
    if value["key"] not in catalog() or type(params) is not dict or len(params) > 16:
        return raw("")
    kept: dict[str, Any] = {}
    for name, v in params.items():
        if type(name) is not str or type(v) not in (str, int, float):
            return raw("")
        if type(v) is int and not -(2**63) <= v < 2**63:  # a cell number, never a huge int
            return raw("")
        kept[name] = v[:max_chars] if type(v) is str else v
    return Msg(value["key"], kept)


def render_note(note: Msg | str | dict, lang: str = DEFAULT_LANG) -> str:
    """A note (a message, an encoded line, the worker's data, or text) as text in ``lang``."""
    if isinstance(note, Note):
        return note.msg.render(lang)
    if isinstance(note, dict):
        note = note_from_data(note)
    if isinstance(note, str):
        note = decode_note(note)
    return note.render(lang)


def choose_lang(flag: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to show: ``flag`` (``--lang``), else AIMATH_LANG, else the locale's, else en.

    ValueError for a ``flag`` (or AIMATH_LANG) that is not one of LANGS.
    """
    env = os.environ if environ is None else environ
    for value, where in ((flag, "--lang"), (env.get(LANG_VARIABLE), LANG_VARIABLE)):
        if value:
            value = value.strip().lower()
            if value not in LANGS:
                raise ValueError(f"{where} must be one of {', '.join(LANGS)}, not {value!r}")
            return value
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:  # the first one set decides, as in POSIX
            return "ko" if value.lower().startswith("ko") else DEFAULT_LANG
    return DEFAULT_LANG
