"""C memory is freed by the library's own free functions as Python objects
go: many create/free cycles of every object leave the process no bigger."""
import gc
import os

import numpy as np
import pandas as pd

import efc


def rss_kb() -> int:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def cycle(example):
    m = efc.Model.default()
    m.score({"soc_needs": 2})
    m.score_array(np.zeros((10, len(m.leaf_ids))))
    b = m.copy()
    b.set_weight("levers", 2)
    b.build()
    df = efc.read_survey(example)
    p = efc.Panel.from_survey(example)
    p.trajectories()
    p.rank()
    p.compare(p.actors[0], p.actors[1])
    try:
        efc.Model.from_text("id,parent\nr,x\n")
    except efc.ModelError:
        pass
    return len(df)


def test_no_growth(example_survey):
    for _ in range(30):  # warm up: allocator pools, caches
        cycle(example_survey)
    gc.collect()
    before = rss_kb()
    for _ in range(300):
        cycle(example_survey)
    gc.collect()
    grown = rss_kb() - before
    # one leaked panel or model per cycle would add several MB
    assert grown < 2048, f"the process grew by {grown} kB over 300 cycles"
