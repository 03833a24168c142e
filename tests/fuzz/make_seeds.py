#!/usr/bin/env python3
"""Write the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/)
from the project's codebooks and surveys, in the shapes real files take.
Rerun after changing the formats; crash reproducers found by fuzzing are
added by hand (named crash-*) and never regenerated.
usage: make_seeds.py SOURCE_ROOT"""
import pathlib
import sys


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    corpus = root / "tests" / "fuzz" / "corpus"
    default = (root / "libefc" / "default_codebook.csv").read_bytes()
    hdi = (root / "tests" / "data" / "hdi" / "hdi.csv").read_bytes()
    bfi_book = (root / "tests" / "data" / "bfi" / "bfi-codebook.csv").read_bytes()
    bfi = b"\n".join((root / "tests" / "data" / "bfi" / "bfi.csv").read_bytes()
                     .split(b"\n")[:30]) + b"\n"
    example = b"\n".join((root / "examples" / "data" / "survey.csv").read_bytes()
                         .split(b"\n")[:12]) + b"\n"

    def put(target: str, name: str, data: bytes) -> None:
        d = corpus / target
        d.mkdir(parents=True, exist_ok=True)
        (d / name).write_bytes(data)

    # codebooks: the real ones, and small ones for each feature and error class
    head = b"id,parent,weight,min,max,direction,transform,aggregate,min_coverage,threshold\n"
    put("codebook", "default.csv", default)
    put("codebook", "hdi.csv", hdi)
    put("codebook", "bfi.csv", bfi_book)
    put("codebook", "power.csv", head + b"g,,1,,,,,power:0.5,0.5,0.3\n"
        b"a,g,2,0,10,+,none,,,\nb,g,1,1,100,-,log,,,\n")
    put("codebook", "levels.csv", b"id,parent,label,label_fr,levels,levels_fr,min,max\n"
        b"g,,G,G,,,,\na,g,A,A,0=no|1=yes,0=non|1=oui,0,1\n")
    put("codebook", "quoted-crlf-bom.csv", b"\xef\xbb\xbf" + head.replace(b"\n", b"\r\n") +
        b"\"g\",,1,,,,,harmonic,,\r\n\"a\",\"g\",1,0,4,+,none,,,\r\n")
    put("codebook", "cycle.csv", head + b"a,b,1,,,,,mean,,\nb,a,1,,,,,mean,,\n")
    put("codebook", "bad-number.csv", head + b"g,,1,,,,,mean,,\na,g,x,0,4,+,none,,,\n")

    # surveys: two option bytes, then the file (see survey_run.c)
    comma = 0x00
    skip = 0x80
    put("survey", "example.csv", bytes([comma, 0]) + example)
    put("survey", "example-skip-threads.csv", bytes([skip, 0x20 | 0x40]) + example)
    put("survey", "example-combine-mean.csv", bytes([skip, 0x02 | 0x08]) + example)
    put("survey", "example-combine-median.csv", bytes([skip, 0x03]) + example)
    french = example.replace(b",", b";").replace(b"\n", b"\r\n")
    put("survey", "french.csv", bytes([0x02 | 0x10 | skip, 0]) + b"\xef\xbb\xbf" + french)
    put("survey", "utf16.csv", bytes([0, 0]) + b"\xff\xfe" + example.decode().encode("utf-16-le"))
    put("survey", "tab-dates.csv", bytes([0x03 | 0x20, 0]) +
        b"id\tperiod\tsoc_needs\tsoc_access\na\t31/12/2024\t1\t2\nb\t01/01/2023\t4\t\n")
    put("survey", "quoted.csv", bytes([skip, 0x04]) +
        b"id,period,soc_needs,eco_energy\n\"a,b\",2024,\"3\",NA\n\"c\"\"d\",2023,\"x\",5\n"
        b"\"multi\nline\",2022,1,2\n")
    put("survey", "ranges.csv", bytes([skip | 0x40, 0x10]) +
        b"id,period,soc_needs,eco_energy\na,2024,-1,2.5\nb,2024,1e3,+4\nc,2024,nan,inf\n"
        b"d,2024," + b"9" * 80 + b",1\n")
    put("survey", "windows-1252.csv", bytes([0x04 | skip, 0]) +
        "id,period,soc_needs\nCaf\u00e9,2024,3\n".encode("cp1252"))

    # a fuzzed codebook with its survey: codebook, NUL, option bytes, survey
    put("survey_model", "bfi.csv", bfi_book + b"\0" + bytes([skip, 0]) + bfi)
    put("survey_model", "hdi.csv", hdi + b"\0" + bytes([0, 0]) +
        b"id,le,eys,mys,gnipc\nA,70,12,8,10000\nB,85,18,15,75000\nC,19,0,0,99\n")
    put("survey_model", "power-threads.csv", head + b"g,,1,,,,,power:-2,0.5,0.3\n"
        b"a,g,2,0,10,+,none,,,\nb,g,1,1,100,-,log,,,\n" + b"\0" + bytes([skip, 0x22]) +
        b"id,a,b\nx,5,10\ny,0,0\nz,11,101\nx,1,1\n")

    # trajectories: an option byte (survey_run.c is not used: see
    # fuzz_trajectory.c), then id, period, sector and the three items
    traj = (b"id,period,sector,x,y,z\n"
            b"a,2020,food,1,2,10\na,2021,food,2,1,100\na,2023,farm,0,5,1\n"
            b"b,2021,farm,4,1,1000\nb,2022,farm,3,,500\nb,2020,,2,3,\nc,2022,food,,,\n")
    put("trajectory", "numbers.csv", bytes([0x04]) + traj)
    put("trajectory", "combined.csv", bytes([0x02]) + traj + b"a,2020,food,3,3,3\n")
    put("trajectory", "dates.csv", bytes([0x01 | 0x08]) +
        b"id,period,sector,x,y,z\na,31/12/2020,s,1,2,3\na,01/01/2020,s,2,2,2\n"
        b"b,2020-06-30,t,4,4,4\nb,2021-06-30,t,0,1,1\n")
    put("trajectory", "duplicate.csv", bytes([0]) + traj + b"a,2020.0,food,1,1,1\n")
    # the indicator pipeline: codebook, NUL, an option byte, data
    asem_book = (root / "examples" / "asem" / "asem_codebook.csv").read_bytes()
    asem = b"\n".join((root / "examples" / "asem" / "asem_data.csv").read_bytes()
                       .split(b"\n")[:25]).replace(b"UnitCode", b"id", 1) + b"\n"
    put("index", "asem.bin", asem_book + b"\0\x08" + asem)
    steps = (b"id,parent,weight,direction,denominator,impute,treat,normalise,target,aggregate\n"
             b"r,,1,,,,,,,mean\n"
             b"a,r,1,+,pop:1000,group_median:g,winsorise:2:1:1,minmax:0:100,,\n"
             b"b,r,2,-,,mean,boxcox,zscore:50:10,,\n"
             b"c,r,1,+,,median,log,percentile,,\n"
             b"d,r,1,-,,,winsorise:50%,dist2target,3,\n"
             b"e,r,1,+,,,,dist2ref:u2,,\n"
             b"f,r,1,+,,,,rank,,\n")
    rows = (b"id,period,g,pop,a,b,c,d,e,f\n"
            b"u1,2020,x,10,1,2,3,4,5,6\nu2,2020,y,20,2,,30,1,2,2\n"
            b"u3,2020,x,,100,8,0.5,9,9,9\nu4,2020,y,5,,7,4,NA,1,1\n"
            b"u1,2021,x,10,3,3,3,3,3,3\n")
    put("index", "steps.bin", steps + b"\0\x0b" + rows)
    put("index", "reference.bin", steps + b"\0\x19" + rows.replace(b"2021", b"2020")
        .replace(b"u1,2020,x,10,1", b"u1,2019,x,10,1"))
    panel = (b"id,parent,impute,normalise,aggregate\nr,,,,copeland\na,r,latest,minmax,\n"
             b"b,r,linear,rank,\n")
    put("index", "panel.bin", panel + b"\0\x21" +
        b"id,period,a,b\nx,2019,1,2\nx,2020,,\nx,2021,3,4\ny,2020,2,\ny,2021,,1\n")
    put("index", "steps-fr.bin", steps + b"\0\x04" + rows.replace(b",", b";")
        .replace(b"0.5", b"0,5"))
    put("index", "geomean.bin", b"id,parent,normalise,aggregate\nr,,,geomean\na,r,zscore,\n"
        b"b,r,minmax,\n\0\x00id,a,b\nu1,1,2\nu2,3,4\nu1,5,6\n")

    return 0


if __name__ == "__main__":
    sys.exit(main())
