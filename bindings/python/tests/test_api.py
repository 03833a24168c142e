"""The package's surface as a user meets it: what its objects say of
themselves (repr) and what its signatures declare."""
import inspect
import re

import pytest

import efc


def public_classes():
    return [getattr(efc, n) for n in efc.__all__
            if inspect.isclass(getattr(efc, n)) and not issubclass(getattr(efc, n), Exception)]


def test_every_public_class_has_a_repr_of_its_own():
    plain = [c.__name__ for c in public_classes() if c.__repr__ is object.__repr__]
    assert not plain, f"classes shown as <... object at 0x...>: {plain}"


def test_model_builder_repr():
    b = efc.ModelBuilder()
    assert repr(b) == "<efc.ModelBuilder: 0 nodes, not built yet>"
    b.add_group("root").add_leaf("access", "root", 0, 4)
    assert repr(b) == "<efc.ModelBuilder: 2 nodes (root, access), not built yet>"
    for i in range(8):
        b.add_leaf(f"x{i}", "root", 0, 1)
    assert repr(b) == ("<efc.ModelBuilder: 10 nodes (root, access, x0, x1, x2, x3, x4, x5, "
                       "...), not built yet>")
    b.build()
    assert repr(b) == "<efc.ModelBuilder: spent (build() made its model)>"
    copy = efc.Model.default().copy()
    assert repr(copy).startswith("<efc.ModelBuilder: 37 nodes (efc, effects, social, ")


def test_survey_repr(example_survey):
    s = efc.Survey(example_survey, batch_size=16)
    assert repr(s) == f"<efc.Survey {str(example_survey)!r}: 0 rows read, 0 rejected; open>"
    s.read_batch()
    assert re.fullmatch(r"<efc.Survey '.*survey.csv': \d+ rows read, 0 rejected; open>", repr(s))
    s.read()
    assert repr(s).endswith(": 42 rows read, 0 rejected; at its end>")
    s.close()
    assert repr(s) == f"<efc.Survey {str(example_survey)!r}: closed>"
    assert repr(efc.Survey(b"id,soc_needs\na,1\n")) == \
        "<efc.Survey '<bytes>': 0 rows read, 0 rejected; open>"


def test_other_reprs(example_survey):
    panel = efc.Panel.from_survey(example_survey)
    assert repr(panel) == "<efc.Panel: 14 actors, 42 assessments>"
    assert repr(efc.Model.default()).startswith("<efc.Model default: 37 nodes")
    assert repr(efc.Quality.from_survey(example_survey)).startswith("<efc.Quality: 42 rows")
    assert repr(panel.sensitivity(samples=10)).startswith("<efc.Sensitivity of 'efc'")
