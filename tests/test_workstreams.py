"""Looking a workstream up by its key: a key it had before a rename still finds it."""

import pytest

from lgadata.workstreams import PROGRAMME, WORKSTREAMS, get_workstream, workstream_key


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("programme_milestones", "programme_milestones"),
        ("programme", "programme_milestones"),
        ("ebulletin", "ebulletin"),
        ("nothing", "nothing"),
    ],
)
def test_a_typed_key_is_read_as_the_current_key_and_an_unknown_one_kept(typed, found):
    assert workstream_key(typed) == found


def test_the_old_programme_key_finds_the_programme_workstream():
    assert get_workstream("programme") is PROGRAMME is WORKSTREAMS[PROGRAMME.key]
    assert PROGRAMME.published_key == "programme"


def test_an_unknown_key_is_refused_naming_the_current_keys():
    with pytest.raises(KeyError, match="programme_milestones"):
        get_workstream("nothing")


def test_no_old_key_is_another_workstreams_current_key():
    old = [k for w in WORKSTREAMS.values() for k in w.old_keys]
    assert len(old) == len(set(old)) and not set(old) & set(WORKSTREAMS)
