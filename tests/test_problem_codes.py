"""The catalogue of problem codes: every code used is in it, and the README's table is its own."""

import ast
import json

import pytest

from lgadata.docs import problem_codes_markdown
from lgadata.problems import ERROR, WARNING, Code, Problem
from lgadata.reader.rejection import _VARIANTS, FileRejected, reject
from lgadata.settings import REPO_ROOT
from lgadata.values import ValueProblem

# The calls that take a problem code as their first argument.
_TAKES_A_CODE = {"Problem", "ValueProblem", "FileRejected", "reject", "problem", "_problem"}
_SOURCES = [
    *sorted((REPO_ROOT / "lgadata").rglob("*.py")),
    *sorted((REPO_ROOT / "ui").rglob("*.py")),
    *sorted((REPO_ROOT / "pages").rglob("*.py")),
    REPO_ROOT / "dashboard.py",
]


def _trees():
    for path in _SOURCES:
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def test_the_readmes_table_of_problem_codes_is_the_catalogue():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert problem_codes_markdown() in readme, "run: python -m lgadata.docs"


def test_no_module_passes_a_code_as_a_bare_string():
    bare = [
        f"{path.relative_to(REPO_ROOT)}:{node.lineno} {node.args[0].value!r}"
        for path, tree in _trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _called(node) in _TAKES_A_CODE
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
        and node.args[0].value not in _VARIANTS
    ]
    assert not bare, f"use a member of lgadata.problems.Code instead: {bare}"


def test_every_code_the_code_base_names_is_catalogued_and_every_catalogued_code_is_used():
    named = {
        node.attr
        for _, tree in _trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Code"
        and node.attr.isupper()
    }
    assert named - set(Code.__members__) == set()
    assert set(Code.__members__) - named == set(), "a catalogued code nothing reports"


@pytest.mark.parametrize("code", list(Code))
def test_every_code_has_a_severity_a_description_and_a_template(code):
    assert code.severity in (ERROR, WARNING)
    assert code.description.endswith(".") and "\n" not in code.description
    assert code.template.strip()
    assert code.value == code.value.lower() and " " not in code.value


def test_a_problems_severity_is_its_codes():
    assert Problem(Code.UNKNOWN_COLUMN, "m").severity == WARNING
    assert Problem("missing-sheet", "m").severity == ERROR
    assert Problem("duplicate-row", "m").is_error
    with pytest.raises(TypeError):
        Problem(Code.UNKNOWN_COLUMN, "m", severity=ERROR)  # the code decides, not the caller


@pytest.mark.parametrize("make", [Problem, ValueProblem, FileRejected])
def test_a_code_outside_the_catalogue_is_refused(make):
    with pytest.raises(ValueError, match="not a valid Code"):
        make("no-such-code", "m")


def test_json_prints_the_code_as_its_plain_string():
    problem = Problem(Code.ZIP_BOMB, "m", "Sheet1", 3, "B")
    assert json.loads(json.dumps(problem.as_dict()))["code"] == "zip-bomb"


def test_a_rejection_fills_in_its_codes_template():
    rejected = reject(Code.EMPTY_FILE, "return.xlsx")
    assert rejected.code is Code.EMPTY_FILE
    assert rejected.message == "return.xlsx is empty. Check you chose the right file and try again."
