"""One words module per feature: every Chinese sentence a user reads, and every command doc, lives in
``xietong/<feature>/messages.py``. Read from the source (AST): a string literal holding a Chinese character
anywhere else under ``xietong/`` or ``plugins/`` fails here. Docstrings and comments are for readers of the
code, not of the chat, and are not counted.

The words a command reads (its vocabulary) live in the words module too. The exception is a parser whose
grammar is its word table: the modules in :data:`VOCABULARY`, each with its reason, may hold single words
(``品名``, ``吨``, ``款到发货``: no space, no punctuation), regular expressions and module-level word tables.
A sentence the bot says is never vocabulary: it fails there too."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ("xietong", "plugins")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
WORDS_MODULE = re.compile(r"^xietong/[a-z_]+/messages\.py$")
SENTENCE = re.compile(r"[\s，。：；！？（）「」、…,.:;!?()]")  # what a single word never holds
PATTERN = re.compile(r"\(\?|\[[^\]]+\]|\\[dsw]")  # (?…), [a character class], \d: a regular expression

VOCABULARY: dict[str, str] = {
    "xietong/core/utterance.py": "the words of a quote-reply (question, negation, hedge, done) the reader weighs",
    "xietong/core/numbers.py": "Chinese numerals, money and unit words the number parser reads",
    "xietong/core/phone.py": "extension words (转, 分机) of the phone parser",
    "xietong/core/roles.py": "the post words people type after /设岗 (and read): one table, the Role enum",
    "xietong/logistics/plate.py": "province characters of a licence plate",
    "xietong/orders/enums.py": "payment words people type at intake (款到发货, 现款 …) beside the enum they name",
    "xietong/orders/intake.py": "the field names, units and date words of the order form",
    "xietong/customers/fields.py": "the archive card's field names people type after /客户 修改",
    "xietong/parties/archive.py": "company suffixes (有限公司, 经营部) the fuzzy customer finder sets aside",
}
# The timeline's own words, stored with each audit event as it was written: w.audit(action, subject, detail),
# w.because(order, action, note) around a tracked change, and a tracked field's label (Tracked("金额")).
AUDIT = ("audit", "because")
TRACKED_LABEL = "Tracked"
AUDIT_KEYWORDS = ("action", "detail")  # the same words handed on: move(w, order, stage, action=…, detail=…)


def _exempt(tree: ast.AST, vocabulary: bool) -> set[int]:
    """Literals that are not sentences: docstrings (also attribute docstrings), enum members (stored as their
    code, the value is the word people read: issue 18's codes), an audit event's words (stored with the
    event as written, see :data:`AUDIT`) and, in a vocabulary module, regular expressions and module-level word
    tables."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any("Enum" in ast.unparse(base) for base in node.bases):
            found.update(id(inner) for inner in ast.walk(node))  # a member's value is its word, its name the code
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            found.add(id(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if node.func.attr in AUDIT or (vocabulary and isinstance(owner, ast.Name) and owner.id == "re"):
                found.update(id(inner) for inner in ast.walk(node))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == TRACKED_LABEL:
            found.update(id(inner) for inner in ast.walk(node))
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in AUDIT_KEYWORDS:
                    found.update(id(inner) for inner in ast.walk(keyword.value))
    if vocabulary:
        tables = (ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Call)
        for statement in tree.body:
            if isinstance(statement, (ast.Assign, ast.AnnAssign)) and isinstance(statement.value, tables):
                found.update(id(inner) for inner in ast.walk(statement.value))
    return found


def chinese_literals(path: Path) -> list[str]:
    """``file:line 'text'`` for every string literal (f-strings' parts too) holding a Chinese character that
    is not exempt (see :func:`_exempt`); in a vocabulary module, single words and patterns pass as well."""
    relative = path.relative_to(ROOT).as_posix()
    vocabulary = relative in VOCABULARY
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = _exempt(tree, vocabulary)
    return [
        f"{relative}:{node.lineno} {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in exempt
        and HAN.search(node.value)
        and not (vocabulary and (not SENTENCE.search(node.value) or PATTERN.search(node.value)))
    ]


def _modules() -> list[str]:
    return [path for top in CODE for path in sorted((ROOT / top).rglob("*.py"))]


def outside_the_words_modules() -> list[str]:
    return [
        hit for path in _modules() if not WORDS_MODULE.match(path.relative_to(ROOT).as_posix())
        for hit in chinese_literals(path)
    ]


def test_every_sentence_is_in_a_words_module():
    assert outside_the_words_modules() == []


def test_the_vocabulary_modules_exist_and_hold_words():
    """No stale entry: each listed parser module is there and still reads Chinese words of its own."""
    for relative in VOCABULARY:
        tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
        docstrings = _exempt(tree, vocabulary=False)
        words = [node for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
                 and id(node) not in docstrings and HAN.search(node.value)]
        assert words, relative


def test_the_check_sees_a_sentence(tmp_path):
    """Not vacuous: a refusal written inline is found, in a service and in a vocabulary module alike;
    docstrings, single words in a vocabulary module and audit details are not."""
    source = (
        '"""模块说明。"""\n'
        'UNITS = ("吨", "箱")\n'
        'def f(w):\n'
        '    """函数说明。"""\n'
        '    w.audit("开单", "D1", f"金额 {1} 元")\n'
        '    if w == "吨":\n'
        '        raise ValueError(f"数量 看不懂：{w}")\n'
    )
    module = ROOT / "xietong" / "_words_check_probe.py"
    module.write_text(source, encoding="utf-8")
    try:
        hits = chinese_literals(module)
        VOCABULARY[module.relative_to(ROOT).as_posix()] = "probe"
        in_vocabulary = chinese_literals(module)
    finally:
        VOCABULARY.pop(module.relative_to(ROOT).as_posix(), None)
        module.unlink()
    assert sorted(hit.split(" ", 1)[1] for hit in hits) == sorted(["'吨'", "'箱'", "'吨'", "'数量 看不懂：'"])
    assert [hit.split(" ", 1)[1] for hit in in_vocabulary] == ["'数量 看不懂：'"]
