#!/bin/sh
# The command-line tool under valgrind memcheck, over the bundled examples
# and the error cases: no invalid access, no uninitialised read, no leak,
# whatever the exit status. Plain builds only (valgrind and ASan exclude
# each other).
# usage: check_memcheck.sh EFC SOURCE_ROOT
set -u
efc=$1 src=$2
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind is missing (tools/setup.sh installs it)"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
survey="$src/examples/data/survey.csv"

# inputs for the error cases
printf 'id,parent,weight\nroot,,1\nroot,,1\n' >"$tmp/dup-model.csv"
printf 'id,period,soc_needs,soc_access\na,2024,1,x\nb,2024,2,3\n"c,2024,1\n' >"$tmp/bad.csv"
printf 'id,period,soc_needs\na,2024,\377\376\n' >"$tmp/latin1.csv"
head -c 4000 "$survey" >"$tmp/cut.csv"
printf '' >"$tmp/empty.csv"
printf 'id,period,soc_needs\n' >"$tmp/header-only.csv"
printf '\377\376' >"$tmp/utf16.csv"
iconv -f UTF-8 -t UTF-16LE "$survey" >>"$tmp/utf16.csv"

fails=0
n=0
run() {
    n=$((n + 1))
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --show-leak-kinds=definite,indirect "$efc" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    if [ $rc -eq 99 ] || grep -q "^==[0-9]*==" "$tmp/err"; then
        echo "FAIL (memcheck): efc $*"
        cat "$tmp/err"
        fails=$((fails + 1))
    else
        echo "ok (exit $rc): efc $*"
    fi
}

run --version
run --help
run model
run model --export -o "$tmp/model.csv"
run model --model "$tmp/model.csv" --template
run model --model "$tmp/dup-model.csv"
run model --model "$tmp/missing.csv"
run score "$survey"
run reliability "$survey"
run items --min-answers 30% --output-dialect excel-fr "$survey"
run items "$tmp/bad.csv"
run sensitivity --samples 50 --sobol "$tmp/sobol.csv" --bootstrap 20 --runs "$tmp/runs.csv" "$survey"
run sensitivity -j 3 --samples 40 --dirichlet 20 --aggregation efc=geomean,mean,power:2 "$survey"
run sensitivity --samples 20 --at 1999 "$survey"
run sensitivity --nodes nope "$survey"
run score -j1 --coverage --items --scale 100 --output-dialect excel-fr "$survey" -o "$tmp/o.csv"
run score --combine median --group sector "$survey"
run score --on-error skip --rejects "$tmp/rej.csv" "$tmp/bad.csv"
run score --on-error skip "$tmp/bad.csv"
run score "$tmp/bad.csv"
run score "$tmp/latin1.csv"
run score --encoding windows-1252 "$tmp/latin1.csv"
run score "$tmp/utf16.csv"
run score "$tmp/cut.csv"
run score "$tmp/empty.csv"
run score "$tmp/header-only.csv"
run score --model "$tmp/dup-model.csv" "$survey"
run score --no-such-option "$survey"
run score "$survey" -o "$survey"
run trajectory --items "$survey"
run trajectory --steps --tolerance 0 "$survey"
run compare --actors ferme-des-coteaux,legumerie-solidaire,velo-atelier "$survey"
run compare --actors ferme-des-coteaux,nobody "$survey"
run rank --group sector --group sphere "$survey"
run rank --stats --items --group sector --at 2023 "$survey"
run rank --at soon "$survey"
run rank --at 2030 "$survey"
run trajectory "$tmp/bad.csv"
run report --group sector --lang fr "$survey" -o "$tmp/report.html"
run report --actors velo-atelier,nobody "$survey" -o "$tmp/report.html"
run report --lang de "$survey"
run report "$tmp/bad.csv" -o "$tmp/report.html"
run chart radar --actor ferme-des-coteaux --group sector --at 2023 "$survey" -o "$tmp/r.svg"
run chart trajectory --actor ressourcerie-est "$survey" -o "$tmp/t.svg"
run chart trajectory --actor velo-atelier --node soc_needs --lang fr "$survey"
run chart radar --actor nobody "$survey"
run chart radar --actor velo-atelier --at 2030 "$survey"
run chart pie "$survey"
run model --questionnaire --lang fr -o "$tmp/q.html"
run model --model "$tmp/model.csv" --questionnaire
asem="$src/examples/asem"
run index --model "$asem/asem_codebook.csv" --na NA --screen 0.9 --stages "$tmp/stages" \
    -o "$tmp/index.csv" "$asem/asem_data.csv"
run index --model "$asem/asem_codebook.csv" "$asem/asem_data.csv"
# winsorising past the sorted extremes (5,000 log-uniform values, some 430
# iterations), on two threads
printf 'id,parent,treat,normalise,aggregate\nroot,,,,mean\nx,root,winsorise:1000:2:3.5,minmax,\n' \
    >"$tmp/wins-model.csv"
awk 'BEGIN { srand(7); print "id,x"; for (i = 0; i < 5000; i++) printf "u%d,%.17g\n", i, exp(20 * rand()) }' \
    >"$tmp/wins.csv"
run index --model "$tmp/wins-model.csv" -j 2 -o "$tmp/wins-out.csv" "$tmp/wins.csv"
run score --model "$asem/asem_codebook.csv" --na NA "$asem/asem_data.csv"
echo "$n runs, $fails with memory errors"
[ $fails -eq 0 ]
