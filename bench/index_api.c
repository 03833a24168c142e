/* The indicator pipeline through the library's API on the data of
 * index_data.py: build the table in memory, run efc_index_run, write the
 * aggregated root (for the comparison with pandas) and print the time of
 * the run alone. usage: index_api CODEBOOK DATA.f64 N ROOT_OUT [lean]: with
 * "lean", only the normalised and aggregated stages are kept
 * (efc_index_options_set_keep_steps). */
#define _POSIX_C_SOURCE 200809L
#define EFC_EXPERIMENTAL
#include <efc/efc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define COLS 53

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const efc_error *e)
{
    fprintf(stderr, "index_api: %s\n", efc_error_text(e));
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 6)
        return 2;
    size_t n = strtoull(argv[3], NULL, 10);
    double *v = malloc(n * COLS * sizeof *v);
    FILE *f = fopen(argv[2], "rb");
    if (!v || !f || fread(v, sizeof *v, n * COLS, f) != n * COLS)
        return 1;
    fclose(f);
    efc_error *e;
    efc_error_create(&e, NULL);
    efc_model *m;
    if (efc_model_load_path(&m, argv[1], NULL, e))
        die(e);
    double t0 = now();
    efc_table *t;
    if (efc_table_create(&t, n, NULL, e) || efc_table_add_numbers(t, "id", v, 1, e) ||
        efc_table_add_numbers(t, "region", v + n, 1, e) ||
        efc_table_add_numbers(t, "pop", v + 2 * n, 1, e))
        die(e);
    for (int j = 0; j < 50; j++) {
        char name[8];
        snprintf(name, sizeof name, "x%02d", j + 1);
        if (efc_table_add_numbers(t, name, v + (size_t)(3 + j) * n, 1, e))
            die(e);
    }
    double t1 = now();
    efc_index *ix;
    efc_index_options *o;
    if (efc_index_options_create(&o, NULL, e) ||
        efc_index_options_set_keep_steps(o, argc == 6 ? 0 : 1, e) || efc_index_run(&ix, m, t, o, e))
        die(e);
    efc_index_options_free(o);
    double t2 = now();
    const efc_model *im = efc_index_model(ix);
    FILE *out = fopen(argv[4], "wb");
    size_t root = efc_model_root(im);
    for (size_t u = 0; u < efc_index_unit_count(ix); u++) {
        double x = efc_index_value(ix, EFC_STAGE_AGGREGATED, u, root);
        fwrite(&x, sizeof x, 1, out);
    }
    fclose(out);
    printf("table %.3f s, pipeline %.3f s, imputed %zu cells\n", t1 - t0, t2 - t1,
           efc_index_imputed_count(ix));
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
    efc_error_free(e);
    free(v);
    return 0;
}
