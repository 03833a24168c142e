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


def public_callables():
    """(name, function) of every public function and method of the package
    and of efc.plot."""
    import efc.plot
    out = []
    for n in efc.__all__:
        obj = getattr(efc, n)
        if inspect.isfunction(obj):
            out.append((n, obj))
        elif inspect.isclass(obj) and not issubclass(obj, Exception):
            for m, f in vars(obj).items():
                f = f.__func__ if isinstance(f, (classmethod, staticmethod)) else f
                f = f.fget if isinstance(f, property) else f
                if inspect.isfunction(f) and (not m.startswith("_") or m in ("__init__",)):
                    out.append((f"{n}.{m}", f))
    for n in ("radar", "trajectory"):
        out.append((f"plot.{n}", getattr(efc.plot, n)))
    return out


def test_public_functions_declare_what_they_return():
    names = {n for n, _ in public_callables()}
    assert {"Model.score_frame", "Model.score_array", "Panel.trajectories", "plot.radar",
            "plot.trajectory", "read_survey"} <= names
    bare = [n for n, f in public_callables()
            if n.split(".")[-1] != "__init__" and
            inspect.signature(f).return_annotation is inspect.Signature.empty]
    assert not bare, f"no return annotation: {bare}"


def test_read_survey_declares_the_options_of_survey():
    """read_survey(**options) hid them: its signature is Survey's, option
    for option (names, kinds, defaults, annotations)."""
    ours = inspect.signature(efc.read_survey)
    survey = inspect.signature(efc.Survey.__init__)
    assert list(ours.parameters.values()) == list(survey.parameters.values())[1:]
    assert "pd.DataFrame" in str(ours.return_annotation)
    with pytest.raises(TypeError, match="unexpected keyword argument 'delimitr'"):
        efc.read_survey(b"id,soc_needs\na,1\n", delimitr=";")
