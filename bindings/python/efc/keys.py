"""Keys: scales as lists of a model's leaves with signs, which may share
items (R psych's overlapping keys, as scoreItems() takes them), for
scoring and reliability beside the model's tree. docs/statistics.md
("Scales that share items") defines the figures."""
import csv
import io
import os
from typing import TYPE_CHECKING, Dict, List, Mapping, Sequence, Tuple, Union

import numpy as np

from ._lib import NONE, doubles, ffi, lib, text
from .errors import ArgumentError, Error, NotFoundError
from .errors import call as _call
from .model import Model

if TYPE_CHECKING:
    import pandas as pd

#: The columns of a keys file (efc reliability --keys, efc score --keys).
KEYS_COLUMNS = ("scale", "item", "sign")

Items = Union[Sequence[str], Sequence[Tuple[str, int]], Mapping[str, int]]


def _signed(items: Items) -> List[Tuple[str, int]]:
    """(item, sign) pairs from psych's spelling ("-item" reversed), pairs,
    or a mapping item -> sign."""
    if isinstance(items, Mapping):
        return [(str(k), int(v)) for k, v in items.items()]
    out = []
    for it in items:
        if isinstance(it, str):
            out.append((it[1:], -1) if it.startswith("-") else (it, 1))
        else:
            item, sign = it
            out.append((str(item), int(sign)))
    return out


class Keys:
    """Scales over the leaves of a model, each a list of items with signs
    +1 or -1; an item may be in many scales. Build with
    Keys(model, {"scale": ["item", "-reversed", ...]}) (psych's key lists:
    a leading '-' reverses the item), pairs [("item", -1), ...] or a mapping
    {"item": -1}; or from a keys file with Keys.read_csv(path, model)
    (columns scale, item, sign; sign +1/-1, '+'/'-', empty for +1).

    A keyed item is the answer as given (the model's direction and transform
    do not apply; its goalposts are its min and max), reversed as psych
    reverses it: min + max - x.
    """

    def __init__(self, model: Model, scales: Mapping[str, Items] = None):
        made = ffi.new("efc_keys **")
        _call(lib.efc_keys_create, made, model._m, ffi.NULL)
        self._k = ffi.gc(made[0], lib.efc_keys_free)
        self.model = model
        for name, items in (scales or {}).items():
            self.add(name, items)

    def add(self, name: str, items: Items) -> "Keys":
        """Add a scale; returns the keys. Raises NotFoundError for an item
        that is no leaf of the model, ArgumentError for a name used twice,
        an item keyed twice or a sign other than +1 or -1."""
        pairs = _signed(items)
        leaves = []
        for item, _ in pairs:
            j = lib.efc_model_leaf_index(self.model._m, item.encode())
            if j == NONE:
                raise NotFoundError(8, f"scale '{name}': the model has no leaf '{item}'")
            leaves.append(j)
        c_leaves = ffi.new("size_t[]", leaves or [0])
        c_signs = ffi.new("int[]", [s for _, s in pairs] or [1])
        _call(lib.efc_keys_add_scale, self._k, str(name).encode(), len(leaves), c_leaves,
              c_signs)
        return self

    @classmethod
    def read_csv(cls, source, model: Model) -> "Keys":
        """Read a keys file (a path, a file object or text): a header with
        the columns scale, item and sign (sign may be absent: +1), one row
        per item of a scale; a scale's rows need not be together."""
        if isinstance(source, (str, os.PathLike)) and not (isinstance(source, str)
                                                          and "\n" in source):
            with open(source, newline="", encoding="utf-8-sig") as f:
                return cls._read(f, model, str(source))
        if isinstance(source, str):
            return cls._read(io.StringIO(source), model, "<text>")
        return cls._read(source, model, getattr(source, "name", "<file>"))

    @classmethod
    def _read(cls, f, model: Model, where: str) -> "Keys":
        reader = csv.DictReader(f)
        fields = reader.fieldnames or []
        for need in ("scale", "item"):
            if need not in fields:
                raise ArgumentError(1, f"{where}: the keys file has no column '{need}'")
        scales: Dict[str, List[Tuple[str, int]]] = {}
        for line, row in enumerate(reader, start=2):
            word = (row.get("sign") or "").strip()
            sign = {"": 1, "+": 1, "+1": 1, "1": 1, "-": -1, "-1": -1}.get(word)
            if sign is None:
                raise ArgumentError(1, f"{where}:{line}: sign '{word}' is not +1 or -1")
            scales.setdefault(row["scale"], []).append((row["item"], sign))
        return cls(model, scales)

    @property
    def names(self) -> List[str]:
        """The scales' names, in the order added."""
        return [text(lib.efc_keys_scale_name(self._k, s))
                for s in range(lib.efc_keys_scale_count(self._k))]

    def items(self, name: str) -> List[Tuple[str, int]]:
        """The (item, sign) pairs of a scale."""
        s = lib.efc_keys_find(self._k, str(name).encode())
        if s == NONE:
            raise NotFoundError(8, f"no scale '{name}' in the keys")
        leaf_ids = self.model.leaf_ids
        return [(leaf_ids[lib.efc_keys_scale_item(self._k, s, i)],
                 int(lib.efc_keys_scale_sign(self._k, s, i)))
                for i in range(lib.efc_keys_scale_item_count(self._k, s))]

    def __reduce__(self):
        # the model (its codebook) and every scale's items with their signs
        return (_keys_from_state, (self.model, [(n, self.items(n)) for n in self.names]))

    def __eq__(self, other: object):
        if not isinstance(other, Keys):
            return NotImplemented
        return other is self or (self.model == other.model and
                                 [(n, self.items(n)) for n in self.names] ==
                                 [(n, other.items(n)) for n in other.names])

    __hash__ = None  # type: ignore[assignment]  (keys may grow: add())

    def to_frame(self) -> "pd.DataFrame":
        """The keys as a keys file holds them: columns scale, item, sign."""
        import pandas as pd
        rows = [(n, item, sign) for n in self.names for item, sign in self.items(n)]
        return pd.DataFrame(rows, columns=list(KEYS_COLUMNS))

    def score_array(self, values) -> np.ndarray:
        """Score a rows x leaves array of answers (in leaf order, NaN =
        missing): a rows x scales array, each the mean of the scale's keyed
        items answered (NaN when none is), as psych's scoreItems(keys,
        items, impute = "none", min, max) with the items' goalposts."""
        values = np.asarray(values, dtype="float64")
        if any(s % 8 for s in values.strides) or not values.flags.aligned:
            values = doubles(values)  # read in place only when the library can
        if values.ndim != 2 or values.shape[1] != len(self.model.leaf_ids):
            raise ArgumentError(1, f"values must be rows x {len(self.model.leaf_ids)} leaves")
        rows = values.shape[0]
        out = np.empty((rows, len(self.names)))
        _call(lib.efc_keys_score_batch, ffi.cast("double *", out.ctypes.data), out.shape[1], 1,
              self._k, rows, ffi.cast("const double *", values.ctypes.data),
              values.strides[0] // 8, values.strides[1] // 8)
        return out

    def score_frame(self, frame) -> "pd.DataFrame":
        """Score a DataFrame of answers (a column per leaf, by id; text read
        as Model.score_frame reads it): a frame with the same index and a
        column per scale. Errors name the frame's index label."""
        import pandas as pd
        from .panel import _answers
        values = np.ascontiguousarray(_answers(frame, self.model))
        try:
            out = self.score_array(values)
        except Error as e:
            if e.row is not None and e.row < len(frame):
                e.args = (f"{e.args[0]} (frame index {frame.index[e.row]!r})",)
            raise
        return pd.DataFrame(out, index=frame.index, columns=self.names)

    def __len__(self) -> int:
        return int(lib.efc_keys_scale_count(self._k))

    def __repr__(self) -> str:
        return f"<efc.Keys: {len(self)} scales>"


def as_keys(keys, model: Model) -> Keys:
    """Keys, or a mapping of scales made into Keys for the model."""
    if isinstance(keys, Keys):
        if lib.efc_keys_model(keys._k) != model._m:
            raise ArgumentError(1, "the keys are for another model")
        return keys
    if isinstance(keys, Mapping):
        return Keys(model, keys)
    return Keys.read_csv(keys, model)


def _keys_from_state(model: Model, scales) -> Keys:
    """The reconstructor of pickled keys: the same scales, in order."""
    return Keys(model, dict(scales))
