"""Properties every model must keep, over random models and answers
(hypothesis): scores within [0, 1], monotone in a + leaf and anti-monotone
in a - leaf, and invariant under the order of siblings in the codebook."""
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import efc

AGGREGATES = ["mean", "geomean", "harmonic", "min", "power:2", "power:-0.5", "power:0.0001"]


@st.composite
def models(draw):
    """A root over 1-3 groups over 1-4 leaves each, as codebook rows."""
    rows = [("root", "", 1, "", "", "", draw(st.sampled_from(AGGREGATES)))]
    leaves = []
    for g in range(draw(st.integers(1, 3))):
        gid = f"g{g}"
        rows.append((gid, "root", draw(st.sampled_from([1, 2, 0.5])), "", "", "",
                     draw(st.sampled_from(AGGREGATES))))
        for j in range(draw(st.integers(1, 4))):
            lo = draw(st.sampled_from([0, 1, -5]))
            hi = lo + draw(st.sampled_from([1, 4, 10]))
            rows.append((f"{gid}_{j}", gid, draw(st.sampled_from([1, 3])), lo, hi,
                         draw(st.sampled_from(["+", "-"])), ""))
            leaves.append((f"{gid}_{j}", lo, hi, rows[-1][5]))
    return rows, leaves


def codebook(rows):
    head = "id,parent,weight,min,max,direction,aggregate\n"
    return head + "".join(",".join(str(x) for x in r) + "\n" for r in rows)


def answers(draw, leaves):
    return {leaf: draw(st.one_of(st.none(), st.floats(lo - 2, hi + 2)))
            for leaf, lo, hi, _ in leaves}


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_scores_within_bounds(data):
    rows, leaves = data.draw(models())
    m = efc.Model.from_text(codebook(rows))
    values = answers(data.draw, leaves)
    for node, s in m.score(values).items():
        assert math.isnan(s) or 0 <= s <= 1, (node, s)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_monotone_in_each_leaf(data):
    rows, leaves = data.draw(models())
    m = efc.Model.from_text(codebook(rows))
    values = {leaf: data.draw(st.floats(lo, hi)) for leaf, lo, hi, _ in leaves}
    leaf, lo, hi, direction = data.draw(st.sampled_from(leaves))
    a, b = sorted([data.draw(st.floats(lo - 1, hi + 1)), data.draw(st.floats(lo - 1, hi + 1))])
    low, high = dict(values, **{leaf: a}), dict(values, **{leaf: b})
    s_low, s_high = m.score(low)["root"], m.score(high)["root"]
    eps = 1e-12  # equal values computed along different paths
    if direction == "+":
        assert s_high >= s_low - eps
    else:
        assert s_high <= s_low + eps


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_invariant_under_sibling_order(data):
    rows, leaves = data.draw(models())
    shuffled = [rows[0]] + data.draw(st.permutations(rows[1:]))
    m1 = efc.Model.from_text(codebook(rows))
    m2 = efc.Model.from_text(codebook(shuffled))
    values = answers(data.draw, leaves)
    s1, s2 = m1.score(values), m2.score(values)
    for node in s1:  # bit for bit: the sums run over children sorted by id
        assert (math.isnan(s1[node]) and math.isnan(s2[node])) or s1[node] == s2[node], node
    rows_of = np.array([[values[leaf] if values[leaf] is not None else np.nan
                         for leaf in m1.leaf_ids]])
    np.testing.assert_array_equal(m1.score_array(rows_of)[0],
                                  np.array([s1[n] for n in m1.node_ids]))
