"""Draw docs/img/asem-index.png: COINr's ASEM index of the 51 countries, as
computed by efc.index, as a sorted horizontal bar chart, Europe and Asia
told apart by colour and hatching (so the chart reads in greyscale too).
Run from the project root: sh tools/python.sh examples/asem/plot_index.py [OUT.png]"""
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import efc  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def main() -> int:
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "docs" / "img" / "asem-index.png"
    model = efc.Model.from_codebook(HERE / "asem_codebook.csv")
    data = HERE / "asem_data.csv"
    ix = efc.index(data, model, id="UnitCode", na="NA")
    region = pd.read_csv(data, index_col="UnitCode", keep_default_na=False)["Group_EurAsia"]
    index = ix.aggregated["Index"].sort_values()  # lowest first: the best ends at the top
    rank = index.rank(ascending=False, method="min").astype(int)

    fig, ax = plt.subplots(figsize=(7, 10), layout="constrained")
    style = {"Europe": dict(color="#3b6ea5", hatch=""), "Asia": dict(color="#e0a040", hatch="//")}
    for name, s in style.items():
        rows = [i for i, u in enumerate(index.index) if region[u] == name]
        ax.barh(rows, index.iloc[rows], height=0.75, color=s["color"], hatch=s["hatch"],
                edgecolor="black", linewidth=0.4, label=name)
    ax.set_yticks(range(len(index)), [f"{u} ({rank[u]})" for u in index.index], fontsize=8)
    for i, v in enumerate(index):
        ax.text(v + 0.4, i, f"{v:.2f}", va="center", fontsize=7)
    ax.set_ylim(-0.7, len(index) - 0.3)
    ax.set_xlim(0, 75)
    ax.set_xlabel("Index (0-100, the mean of Connectivity and Sustainability)")
    ax.set_title("COINr's ASEM example: the Sustainable Connectivity index, 51 countries\n"
                 "computed by efc.index (country code, rank)", fontsize=10)
    ax.legend(title="Group_EurAsia", loc="lower right")
    ax.grid(axis="x", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
