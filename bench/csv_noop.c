/* libcsv parsing a file with no-op callbacks: the floor a CSV scorer built
 * on libcsv can reach. Prints the records and fields seen.
 *   csv_noop FILE */
#include <csv.h>
#include <stdio.h>

static void on_field(void *s, size_t len, void *data)
{
    (void)s;
    (void)len;
    ((size_t *)data)[0]++;
}

static void on_record(int c, void *data)
{
    (void)c;
    ((size_t *)data)[1]++;
}

int main(int argc, char **argv)
{
    FILE *fp = argc > 1 ? fopen(argv[1], "rb") : NULL;
    if (!fp)
        return 1;
    struct csv_parser p;
    csv_init(&p, CSV_APPEND_NULL);
    static char buf[1 << 16];
    size_t n, counts[2] = {0, 0};
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        if (csv_parse(&p, buf, n, on_field, on_record, counts) != n)
            return 2;
    csv_fini(&p, on_field, on_record, counts);
    csv_free(&p);
    fclose(fp);
    printf("%zu records, %zu fields\n", counts[1], counts[0]);
    return 0;
}
