/* Write a synthetic survey of the default model: id, period and the 29
 * items, answers 0..4 with about 2 % left empty. Deterministic.
 *   gen_survey ROWS > survey.csv */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const items[] = {
    "soc_needs",        "soc_access",        "soc_health",      "soc_work",
    "soc_links",        "soc_inclusion",     "eco_material",    "eco_energy",
    "eco_lifetime",     "eco_externalities", "eco_positive",    "eco_single_use",
    "loc_jobs",         "loc_purchases",     "loc_use_value",   "loc_volume_dependence",
    "loc_value_sharing", "loc_resilience",   "res_trust",       "res_competence",
    "res_relevance",    "res_health",        "res_reflexivity", "res_overload",
    "coop_transverse",  "coop_horizontal",   "coop_vertical",   "coop_territorial",
    "coop_governance"};

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    uint64_t s = 0x9E3779B97F4A7C15u;
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    fputs("id,period", stdout);
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        printf(",%s", items[i]);
    putchar('\n');
    for (long r = 0; r < rows; r++) {
        printf("actor-%07ld,%d", r / 3, 2022 + (int)(r % 3));
        for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            unsigned v = (unsigned)(s % 1000);
            if (v < 20)
                fputs(",", stdout);
            else
                printf(",%u", v % 5);
        }
        putchar('\n');
    }
    return 0;
}
