"""Every message a student sees exists in Korean and English (issue 13, item 3).

The catalog (``autograder.i18n.catalog()``: autograder/locales/*.toml and each assignment's
graders/<assignment>/messages.toml) is checked entry by entry; the code is scanned statically
(``ast``) for the keys it uses, so a key used but not defined, or defined but never used, fails
here rather than in front of a student; and the graders are scanned for plain English text passed
where a message is expected (``check_true(message=...)``, ``CheckError(...)``, a Hint's text,
``expected_from=``, ``raw(...)``), which would be shown in English to Korean students.
"""

from __future__ import annotations

import ast
import re
import string
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from autograder import i18n
from autograder.course import ASSIGNMENTS
from autograder.hints import load_hints
from autograder.i18n import LANGS, Msg, catalog, fields, msg

PACKAGE = Path(i18n.__file__).resolve().parent
GRADERS = PACKAGE / "graders"
HANGUL = re.compile("[\uac00-\ud7a3]")

# Entries whose English is code, not words, so their Korean is the same text without Hangul.
NO_HANGUL = {"checks.a_none"}  # "None"


def _is_code_only(template: str) -> bool:
    """No English word in the template once its fields are left out ('{call} {problem}',
    'f(x) = {f}', '- {note}'): nothing to translate."""
    literal = "".join(text for text, *_ in string.Formatter().parse(template))
    return not re.search(r"[A-Za-z]{2,}", literal)


# -- 1. the catalog's entries ---------------------------------------------------------------------
def test_every_entry_has_english_and_korean_with_the_same_fields():
    problems = []
    for key, entry in catalog().items():
        if set(entry) != set(LANGS):
            problems.append(f"{key}: languages {sorted(entry)}, expected exactly {list(LANGS)}")
            continue
        for lang in LANGS:
            if not entry[lang].strip():
                problems.append(f"{key}: empty {lang}")
        if fields(entry["en"]) != fields(entry["ko"]):
            problems.append(
                f"{key}: fields differ: en {sorted(fields(entry['en']))}, "
                f"ko {sorted(fields(entry['ko']))}"
            )
        if not HANGUL.search(entry["ko"]) and key not in NO_HANGUL:
            if not _is_code_only(entry["en"]):
                problems.append(f"{key}: ko has no Hangul (not translated?): {entry['ko']!r}")
    assert not problems, "\n".join(problems)


def test_the_no_hangul_list_names_only_entries_that_need_it():
    for key in NO_HANGUL:
        assert key in catalog(), key
        assert not HANGUL.search(catalog()[key]["ko"]), key


def test_each_assignment_catalog_holds_only_its_own_keys():
    for path in sorted(GRADERS.glob("*/messages.toml")):
        assert path.parent.name in ASSIGNMENTS, f"{path}: not an assignment's folder"
    for key in catalog():
        domain = key.split(".")[0]
        if domain.startswith("lec"):
            assert domain in ASSIGNMENTS, f"{key}: no assignment {domain}"


# -- 2. the keys the code uses --------------------------------------------------------------------
I18N_FUNCTIONS = {"msg", "text", "Msg"}


HIDDEN = PACKAGE.parent / "hidden"  # the hints live with the hidden graders (autograder/hints.py)


def _python_files() -> list[Path]:
    files = [p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts]
    return sorted(files + sorted(HIDDEN.glob("*/hints.py")))


def _first_string(node: ast.AST) -> tuple[set[str], set[str]]:
    """The keys (exact) and key prefixes (dynamic) a first argument can take."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}, set()
    if isinstance(node, ast.IfExp):
        k1, p1 = _first_string(node.body)
        k2, p2 = _first_string(node.orelse)
        return k1 | k2, p1 | p2
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        keys, prefixes = _first_string(node.left)
        return set(), keys | prefixes
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return set(), {first.value}
    return set(), set()


def _i18n_names(tree: ast.Module, path: Path) -> tuple[set[str], set[str]]:
    """The local names of i18n's msg/text/Msg in a module, and the local names of i18n itself."""
    functions, modules = set(), set()
    if path == PACKAGE / "i18n.py":
        functions |= I18N_FUNCTIONS
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module in ("i18n", "autograder.i18n") or module.endswith(".i18n"):
                functions |= {a.asname or a.name for a in node.names if a.name in I18N_FUNCTIONS}
            elif module in ("", "autograder"):
                modules |= {a.asname or a.name for a in node.names if a.name == "i18n"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == "autograder.i18n" and a.asname}
    return functions, modules


def _is_i18n_call(node: ast.Call, functions: set[str], modules: set[str]) -> bool:
    f = node.func
    if isinstance(f, ast.Name):
        return f.id in functions
    return (
        isinstance(f, ast.Attribute)
        and f.attr in I18N_FUNCTIONS
        and isinstance(f.value, ast.Name)
        and f.value.id in modules
    )


@cache
def key_uses() -> tuple[dict[str, list[str]], dict[str, list[str]], set[str]]:
    """(exact keys -> where, dynamic prefixes -> where, every string constant) in autograder/.

    A key is what the first argument of msg/text/Msg (imported from autograder.i18n) is: a
    literal, either branch of ``a if c else b``, or a prefix for ``"checks.dtype_" + name`` and
    f"report.{key}". A local wrapper that returns such a call on ``"<prefix>" + its first
    parameter`` (``def t(key): return text("report." + key, lang)``) makes its prefix dynamic and
    its calls with a literal keys too.
    """
    exact: dict[str, list[str]] = {}
    prefixes: dict[str, list[str]] = {}
    constants: set[str] = set()
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = str(path.relative_to(PACKAGE.parent))
        functions, modules = _i18n_names(tree, path)
        wrappers: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if not (isinstance(node, ast.FunctionDef) and node.args.args):
                continue
            param = node.args.args[0].arg
            for ret in ast.walk(node):
                call = ret.value if isinstance(ret, ast.Return) else None
                if (isinstance(call, ast.Call) and call.args
                        and _is_i18n_call(call, functions, modules)
                        and isinstance(arg := call.args[0], ast.BinOp)
                        and isinstance(arg.op, ast.Add)
                        and isinstance(arg.left, ast.Constant) and isinstance(arg.left.value, str)
                        and isinstance(arg.right, ast.Name) and arg.right.id == param):  # fmt: skip
                    wrappers[node.name] = arg.left.value
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            line = f"{where}:{node.lineno}"
            if _is_i18n_call(node, functions, modules):
                keys, dynamic = _first_string(node.args[0])
            elif isinstance(node.func, ast.Name) and node.func.id in wrappers:
                inner, dynamic = _first_string(node.args[0])
                keys = {wrappers[node.func.id] + k for k in inner}
                dynamic = {wrappers[node.func.id] + p for p in dynamic}
            else:
                continue
            for key in keys - {""}:  # "": raw text, not in the catalog
                exact.setdefault(key, []).append(line)
            for prefix in dynamic:
                prefixes.setdefault(prefix, []).append(line)
        for name, prefix in wrappers.items():
            prefixes.setdefault(prefix, []).append(f"{where}: {name}()")
    return exact, prefixes, constants


def test_the_scan_finds_the_uses_it_should():
    exact, prefixes, _ = key_uses()
    assert "checks.wrong_value" in exact
    assert "lec04_sgd.not_a_partition" in exact
    assert "lec01_vectors.hint_l2_norm_no_sqrt" in exact
    assert "kinds." in prefixes and "checks.dtype_" in prefixes


def test_every_key_the_code_uses_is_in_the_catalog():
    exact, prefixes, _ = key_uses()
    keys = catalog()
    missing = [f"{k} ({', '.join(where)})" for k, where in sorted(exact.items()) if k not in keys]
    assert not missing, "keys used but not in the catalog:\n" + "\n".join(missing)
    empty = [f"{p}... ({', '.join(where)})" for p, where in sorted(prefixes.items())
             if not any(k.startswith(p) for k in keys)]  # fmt: skip
    assert not empty, "dynamic key prefixes that match no catalog key:\n" + "\n".join(empty)


def test_every_catalog_key_is_used_somewhere():
    exact, prefixes, constants = key_uses()
    dead = [
        key
        for key in catalog()
        if key not in exact and key not in constants and not any(map(key.startswith, prefixes))
    ]
    assert not dead, "catalog entries no code uses (dead?):\n" + "\n".join(dead)


# -- 3. no English-only text in the graders -------------------------------------------------------
def _grader_files() -> list[Path]:
    files = []
    for folder in sorted(p for p in GRADERS.iterdir() if p.is_dir() and p.name in ASSIGNMENTS):
        files += sorted(folder.glob("test_*.py"))
        files += [p for p in (folder / "support.py", HIDDEN / folder.name / "hints.py")
                  if p.is_file()]  # fmt: skip
    return files


def _stringy(node: ast.AST | None, text_names: set[str]) -> bool:
    """Whether an expression is plain text: a string literal, an f-string, a concatenation or
    str() of them, "...".format(...), or a module-level name bound to one."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _stringy(node.left, text_names) or _stringy(node.right, text_names)
    if isinstance(node, ast.IfExp):
        return _stringy(node.body, text_names) or _stringy(node.orelse, text_names)
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Name) and f.id in ("str", "repr"):
            return True
        return isinstance(f, ast.Attribute) and f.attr == "format" and _stringy(f.value, set())
    if isinstance(node, ast.Name):
        return node.id in text_names
    return False


def _text_names(tree: ast.Module) -> set[str]:
    """Module-level names bound to plain text (FLIPPED_HINT = "the kernel is flipped...")."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and _stringy(node.value, names):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _callee(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def english_only_texts(source: str, where: str) -> list[str]:
    """Where a grader file's source passes plain text as a student-facing message."""
    tree = ast.parse(source, filename=where)
    names = _text_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callee, kw = _callee(node), {k.arg: k.value for k in node.keywords if k.arg}
            suspects = [("expected_from=", kw.get("expected_from"))]
            if callee == "check_true":
                suspects.append(("check_true(message=...)", kw.get("message")))
            if callee == "CheckError":
                suspects.append(("CheckError(...)", node.args[0] if node.args else None))
                suspects.append(("CheckError(message=...)", kw.get("message")))
            if callee == "raw":  # i18n.raw: text shown as is in every language
                suspects.append(("raw(...)", node.args[0] if node.args else None))
            if callee == "Failure":
                suspects.append(("Failure(problem=...)", kw.get("problem")))
            if callee == "Hint":
                suspects.append(("Hint text", node.args[1] if len(node.args) > 1 else None))
                suspects.append(("Hint(text=...)", kw.get("text")))
            found += [f"{where}:{node.lineno}: {what}" for what, value in suspects
                      if _stringy(value, names)]  # fmt: skip
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            positional = args.posonlyargs + args.args
            defaults = list(
                zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
            )
            defaults += [
                (a, d)
                for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
                if d is not None
            ]
            found += [f"{where}:{node.lineno}: default {a.arg}=" for a, d in defaults
                      if a.arg in ("message", "expected_from") and _stringy(d, names)]  # fmt: skip
    return found


def test_the_grader_scan_recognises_plain_text():
    source = (
        'HINT = "the kernel is flipped"\n'
        'def f(expected_from="x"):\n'
        '    check_true(ok, name=n, message=f"returned {v}")\n'
        '    check_true(ok, name=n, message=msg("a.b", v=v))\n'
        "    raise CheckError(str(exc))\n"
        '    raise CheckError(f"{exc}\\n  {HINT}")\n'
        "    raise CheckError(exc.failure)\n"
        '    Hint("f", "plain", g, "case")\n'
        '    Hint("f", msg("a.hint"), g, "case")\n'
        "    check_gradient(a, b, expected_from=HINT)\n"
        '    check_gradient(a, b, expected_from=msg("a.c"))\n'
        '    raise CheckError(Failure(kind="wrong answer", problem=raw("plain")))\n'
    )
    found = english_only_texts(source, "example.py")
    assert [f.split(": ", 1)[1] for f in found] == [
        "default expected_from=", "check_true(message=...)", "CheckError(...)", "CheckError(...)",
        "Hint text", "expected_from=", "raw(...)",
    ], found  # fmt: skip


def test_no_grader_passes_english_only_text_to_a_student():
    files = _grader_files()
    assert len(files) >= 2 * len(ASSIGNMENTS)
    found = [
        line
        for path in files
        for line in english_only_texts(
            path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent))
        )
    ]
    assert not found, "plain text where a catalog message (msg(...)) is needed:\n" + "\n".join(
        found
    )


@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if load_hints(a)])
def test_every_hint_is_a_catalog_message_of_its_assignment(assignment):
    for hint in load_hints(assignment):
        assert isinstance(hint.text, Msg), hint
        assert hint.text.key.startswith(f"{assignment}.hint_"), hint.text.key
        assert hint.text.key in catalog(), hint.text.key
        for lang in LANGS:
            text = hint.text.render(lang)
            assert text and not text.endswith("."), (lang, text)  # "Hint: ..." adds nothing


# -- 4. every entry renders -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "dummy", [1.5, 3, "x", msg("checks.none")], ids=["float", "int", "str", "msg"]
)
def test_every_entry_renders_in_both_languages(dummy):
    for key, entry in catalog().items():
        params = dict.fromkeys(fields(entry["en"]) | fields(entry["ko"]), dummy)
        for lang in LANGS:
            text = Msg(key, params).render(lang)
            assert text.strip(), (key, lang)
            left = [f for f in fields(entry[lang]) if "{" + f + "}" in text]
            assert not left, (key, lang, text)


def test_rendering_a_message_from_json_gives_the_same_text():
    for key, entry in catalog().items():
        params = dict.fromkeys(fields(entry["en"]), 2.5)
        m = Msg(key, params)
        for lang in LANGS:
            assert Msg.from_json(m.to_json()).render(lang) == m.render(lang), key


# -- 5. how many ----------------------------------------------------------------------------------
def test_summary_of_messages_per_language():
    entries = catalog()
    per_lang = Counter(lang for entry in entries.values() for lang in LANGS if entry.get(lang))
    per_domain = Counter(key.split(".")[0] for key in entries)
    summary = (
        f"{len(entries)} messages: "
        + ", ".join(f"{lang} {per_lang[lang]}" for lang in LANGS)
        + " ("
        + ", ".join(f"{d} {n}" for d, n in sorted(per_domain.items()))
        + ")"
    )
    print("\n" + summary)
    assert all(per_lang[lang] == len(entries) for lang in LANGS), summary
    assert all(per_domain[a] > 0 for a in ASSIGNMENTS), summary
