"""efc: assess the value an organisation or a territory creates in the sense
of the functional and cooperation economy (EFC), on numpy and pandas, with
the libefc C library underneath (through cffi).

    import efc
    model = efc.Model.default()                    # the EFC reference grid
    model.score({"soc_needs": 3, "soc_access": 2})  # one assessment
    scores = model.score_frame(df)                  # a DataFrame of answers
    survey = efc.read_survey("survey.csv")          # a survey file, as efc score reads it
    panel = efc.Panel.from_survey("survey.csv")     # actors over periods
    panel.trajectories(); panel.compare("a", "b"); panel.rank()
    quality = efc.Quality.from_survey("survey.csv")  # survey quality
    quality.reliability(); quality.items()          # Cronbach's alpha, weak items
    sens = panel.sensitivity(sobol=True)            # rank intervals under other weights
    sens.ranks(); sens.sobol()                      # and Sobol indices of each weight
    ix = efc.index(frame, efc.Model.from_codebook("codebook.csv"), id="UnitCode")
    ix.normalised; ix.aggregated; ix.treatment      # indices from indicator data
    efc.plot.radar(model, scores.iloc[0])           # charts (matplotlib)
    panel.radar("velo-atelier")                     # the library's own SVG radar (efc.Chart)

docs/python.md is the guide; every figure is defined in docs/concepts.md and
docs/trajectories.md and docs/statistics.md.
"""
from . import _config
from . import _lib as _loading
from ._lib import LibraryInfo, library_info
from ._lib import lib as _lib
from .errors import (ArgumentError, CSVError, Error, FileError, InvalidValueError,
                     LibraryVersionError, ModelError, NoMemoryError, NotFoundError, StateError,
                     SurveyError)

# The declarations are those of the package's own version: refuse another
# library before the modules below call it.
_mismatch = _loading.version_mismatch()
if _mismatch:
    raise LibraryVersionError(_mismatch, _config.VERSION, *library_info())

from .chart import Chart

from .keys import Keys

from .model import Model, ModelBuilder, Node, Result
from .panel import Panel
from .pipeline import Index, Table, index
from .quality import Quality, item_analysis, reliability
from .sensitivity import Sensitivity, sobol_indices
from .survey import Counts, Survey, parse_period, read_survey

#: The version of the package ("0.2.0"), the project's; the library loaded
#: is the same version (else LibraryVersionError at import): library_info().
__version__ = _config.VERSION
#: The library's version as a number: major * 10000 + minor * 100 + patch.
version_number = int(_lib.efc_version_number())

__all__ = [
    "ArgumentError", "CSVError", "Chart", "Counts", "Error", "FileError", "Index", "InvalidValueError",
    "Keys", "LibraryInfo", "LibraryVersionError", "Model", "ModelBuilder", "ModelError",
    "NoMemoryError", "Node", "NotFoundError", "Panel", "Quality", "Result",
    "Sensitivity", "StateError", "Survey", "SurveyError", "Table", "index", "item_analysis", "parse_period", "read_survey", "reliability",
    "library_info", "sobol_indices", "version_number",
    "__version__",
]


def __getattr__(name):
    # efc.plot imports matplotlib: only when asked for
    if name == "plot":
        import importlib
        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'efc' has no attribute {name!r}")
