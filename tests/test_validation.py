"""kb.validation: one wording for pydantic's errors, whichever declaration an author got wrong."""

import pytest
from pydantic import ValidationError

from kb.forms import form_problems
from kb.model import Author
from kb.validation import author_message, dotted, unknown_key


def _errors(data):
    with pytest.raises(ValidationError) as caught:
        Author.model_validate(data)
    return caught.value.errors()


def test_missing_misspelt_and_empty_keys_read_the_same_everywhere():
    messages = {tuple(e["loc"]): author_message(e, list(Author.model_fields)) for e in _errors({"nmae": "x"})}
    assert messages == {("name",): "is required", ("nmae",): "unknown key 'nmae'; did you mean 'name'?"}
    assert [author_message(e) for e in _errors({"name": ""})] == ["must not be empty"]
    assert unknown_key("zzz", ["a", "b"]) == "unknown key 'zzz' (known: a, b)"
    # a form block says it in the same words
    assert ("recipent", "unknown key 'recipent'; did you mean 'recipient'?") in form_problems(
        {"recipent": "a@example.com", "subject": "s", "fields": [{"label": "x"}]})


def test_a_field_path_reads_as_written():
    assert dotted(("fields", 0, "kind")) == "fields[0].kind"


def test_authors_yml_speaks_the_same_words(tmp_path):
    from kb.corpus import read_authors

    (tmp_path / "authors.yml").write_text("neil:\n  nmae: Neil\n", encoding="utf-8")
    _, problems = read_authors(tmp_path)
    assert sorted(p.message for p in problems) == ["is required", "unknown key 'nmae'; did you mean 'name'?"]
