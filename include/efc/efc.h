/*
 * libefc — value assessment in the functional and cooperation economy (EFC).
 *
 * The one header to include. It brings in the stable tier, whose ABI only
 * grows within libefc.so.1 (symbol version EFC_1):
 *   efc/common.h   status codes, allocator, export macro
 *   efc/version.h  version macros and functions
 *   efc/error.h    the error object
 *   efc/model.h    models: the embedded default, codebooks, building, introspection
 *   efc/names.h    the names of every enumeration's values, spelled once
 *   efc/score.h    scoring one assessment or many rows at once
 *   efc/survey.h   reading and scoring survey files in batches
 * and, when EFC_EXPERIMENTAL is defined before it is included, the
 * experimental tier, which may change between minor releases until it is
 * promoted (symbol version EFC_EXPERIMENTAL_<major>.<minor> of the release):
 *   efc/panel.h    panels: scored assessments of many actors over periods
 *   efc/trajectory.h  trajectories, comparisons and ranks read from a panel
 *   efc/quality.h  survey quality: reliability of scales, item analysis; keys
 *   efc/sensitivity.h  how robust ranks are to the weights: Monte Carlo, Sobol
 *   efc/chart.h    charts as SVG text: the radar of an assessment
 *
 * Link with `pkg-config --cflags --libs efc`. docs/c-api.md is the guide.
 */
#ifndef EFC_EFC_H
#define EFC_EFC_H

#include "common.h"
#include "error.h"
#include "model.h"
#include "names.h"
#include "score.h"
#include "survey.h"
#include "version.h"

#ifdef EFC_EXPERIMENTAL
#include "chart.h"
#include "index.h"
#include "panel.h"
#include "quality.h"
#include "sensitivity.h"
#include "trajectory.h"
#endif

#endif /* EFC_EFC_H */
