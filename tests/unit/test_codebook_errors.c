/* Every class of codebook error, each reported with the file, the line, the
 * column and the reason (DESIGN.md: "each is an error that names the file,
 * line, column and the reason"). */
#include "helpers.h"

typedef struct error_case {
    const char *name;
    const char *csv;
    efc_status status;
    size_t line;
    size_t column;
    const char *reason; /* a substring of the message */
} error_case;

/* The name of a case's column, as the header writes it: "" when the error
 * has no column. */
static const char *column_name_of(const char *csv, size_t column)
{
    static char name[64];
    name[0] = '\0';
    const char *p = csv;
    for (size_t c = 1; column && *p && *p != '\n'; c++) {
        size_t n = strcspn(p, ",\n");
        if (c == column) {
            snprintf(name, sizeof name, "%.*s", (int)n, p);
            break;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return name;
}

#define HEAD "id,parent,weight,min,max,aggregate\n"

static const error_case cases[] = {
    {"unknown column", "id,parent,colour\nr,,x\n", EFC_ERR_MODEL, 1, 3, "unknown column 'colour'"},
    {"uppercase column", "id,Parent\n", EFC_ERR_MODEL, 1, 2, "lowercase: 'parent'"},
    {"bad language code", "id,parent,label_FRA\n", EFC_ERR_MODEL, 1, 3, "unknown column"},
    {"duplicate column", "id,parent,weight,weight\n", EFC_ERR_MODEL, 1, 4,
     "duplicate column 'weight'"},
    {"no id column", "parent,weight\n,1\n", EFC_ERR_MODEL, 1, 0, "no 'id' column"},
    {"no parent column", "id,weight\nr,1\n", EFC_ERR_MODEL, 1, 0, "no 'parent' column"},
    {"translation without base", "id,parent,label_fr\n", EFC_ERR_MODEL, 1, 3,
     "needs its base column 'label'"},
    {"empty file", "", EFC_ERR_MODEL, 0, 0, "empty codebook"},
    {"header only", "id,parent,min,max\n", EFC_ERR_MODEL, 1, 0, "no nodes"},
    {"short row", HEAD "r,,1,,,mean\na,r,1,0\n", EFC_ERR_CSV, 3, 0, "4 fields and the header 6"},
    {"duplicate id", HEAD "r,,1,,,mean\na,r,1,0,4,\na,r,1,0,4,\n", EFC_ERR_MODEL, 4, 1,
     "duplicate id 'a' (first on line 3)"},
    {"second root", HEAD "r,,1,,,mean\na,r,1,0,4,\ns,,1,0,4,\n", EFC_ERR_MODEL, 4, 2,
     "second root 's'"},
    {"unknown parent", HEAD "r,,1,,,mean\nb,r,1,0,4,\na,q,1,0,4,\n", EFC_ERR_MODEL, 4, 2,
     "unknown parent 'q'"},
    {"unknown parent of the root's only child", "id,parent,min,max\nr,,,\na,q,0,4\n", EFC_ERR_MODEL,
     3, 2, "node 'a': unknown parent 'q'"},
    {"goalposts too far apart", HEAD "r,,1,,,mean\na,r,1,-1e308,1e308,\n", EFC_ERR_MODEL, 3, 5,
     "goalposts are too far apart"},
    {"weights adding to infinity", HEAD "r,,1,,,mean\na,r,1e308,0,1,\nb,r,1e308,0,1,\n",
     EFC_ERR_MODEL, 3, 3, "add up to more than a double holds"},
    {"cycle", HEAD "r,,1,,,mean\na,r,1,0,4,\ng,h,1,,,mean\nh,g,1,,,mean\nx,g,1,0,4,\n",
     EFC_ERR_MODEL, 4, 2, "cycle: 'g' -> 'h' -> 'g'"},
    {"self parent", HEAD "r,,1,,,mean\na,r,1,0,4,\nb,b,1,,,mean\nc,b,1,0,4,\n", EFC_ERR_MODEL, 4, 2,
     "cycle: 'b' -> 'b'"},
    {"no root", HEAD "a,b,1,,,mean\nb,a,1,,,mean\nc,a,1,0,4,\n", EFC_ERR_MODEL, 2, 2, "cycle"},
    {"group without children", HEAD "r,,1,,,mean\na,r,1,0,4,\ng,r,1,,,geomean\n", EFC_ERR_MODEL, 4,
     6, "has no children, so it is a leaf"},
    {"leaf without goalposts", HEAD "r,,1,,,mean\na,r,1,,,\n", EFC_ERR_MODEL, 3, 4,
     "no children and no min"},
    {"leaf without max", HEAD "r,,1,,,mean\na,r,1,0,,\n", EFC_ERR_MODEL, 3, 5, "no max"},
    {"min not below max", HEAD "r,,1,,,mean\na,r,1,4,4,\n", EFC_ERR_MODEL, 3, 5,
     "min must be less than max"},
    {"bad min", HEAD "r,,1,,,mean\na,r,1,zero,4,\n", EFC_ERR_MODEL, 3, 4,
     "min 'zero' is not a number"},
    {"nan max", HEAD "r,,1,,,mean\na,r,1,0,nan,\n", EFC_ERR_MODEL, 3, 5, "not a number"},
    {"infinite max", HEAD "r,,1,,,mean\na,r,1,0,1e999,\n", EFC_ERR_MODEL, 3, 5,
     "too large for a double"},
    {"hex number", HEAD "r,,1,,,mean\na,r,1,0,0x10,\n", EFC_ERR_MODEL, 3, 5, "not a number"},
    {"bad weight", HEAD "r,,1,,,mean\na,r,heavy,0,4,\n", EFC_ERR_MODEL, 3, 3,
     "weight 'heavy' is not a number"},
    {"negative weight", HEAD "r,,1,,,mean\na,r,-1,0,4,\n", EFC_ERR_MODEL, 3, 3,
     "weight must be finite and >= 0, got -1"},
    {"all weights zero", HEAD "r,,1,,,mean\na,r,0,0,4,\nb,r,0,0,4,\n", EFC_ERR_MODEL, 3, 3,
     "all children of group 'r' have weight 0"},
    {"unknown aggregate", HEAD "r,,1,,,median\na,r,1,0,4,\n", EFC_ERR_MODEL, 2, 6,
     "'median' is not one of mean, geomean"},
    {"power without number", HEAD "r,,1,,,power:x\na,r,1,0,4,\n", EFC_ERR_MODEL, 2, 6,
     "exponent in 'power:x' is not a number"},
    {"power infinite", HEAD "r,,1,,,power:inf\na,r,1,0,4,\n", EFC_ERR_MODEL, 2, 6, "not a number"},
    {"aggregate on a leaf", HEAD "r,,1,,,mean\na,r,1,0,4,mean\n", EFC_ERR_MODEL, 3, 6,
     "only for groups"},
    {"goalposts on a group", HEAD "r,,1,0,4,mean\na,r,1,0,4,\n", EFC_ERR_MODEL, 2, 4,
     "only for leaves"},
    {"bad direction", "id,parent,min,max,direction\nr,,,,\na,r,0,4,up\n", EFC_ERR_MODEL, 3, 5,
     "'up' is not one of + -"},
    {"bad transform", "id,parent,min,max,transform\nr,,,,\na,r,0,4,sqrt\n", EFC_ERR_MODEL, 3, 5,
     "'sqrt' is not one of none log"},
    {"log of zero goalpost", "id,parent,min,max,transform\nr,,,,\na,r,0,4,log\n", EFC_ERR_MODEL, 3,
     3, "log transform needs goalposts > 0"},
    {"min_coverage above 1", "id,parent,min,max,min_coverage\nr,,,,1.5\na,r,0,4,\n", EFC_ERR_MODEL,
     2, 5, "min_coverage must be in [0, 1], got 1.5"},
    {"threshold negative", "id,parent,min,max,threshold\nr,,,,-0.1\na,r,0,4,\n", EFC_ERR_MODEL, 2,
     5, "threshold must be in [0, 1], got -0.1"},
    {"empty id", HEAD "r,,1,,,mean\n,r,1,0,4,\n", EFC_ERR_MODEL, 3, 1, "id is empty"},
    {"id with spaces", HEAD "r,,1,,,mean\n\" a\",r,1,0,4,\n", EFC_ERR_MODEL, 3, 1,
     "leading or trailing spaces"},
    {"levels without =", "id,parent,min,max,levels\nr,,,,\na,r,0,4,0|4\n", EFC_ERR_MODEL, 3, 5,
     "levels entry 1 has no '='"},
    {"levels not increasing", "id,parent,min,max,levels\nr,,,,\na,r,0,4,0=No|0=Yes\n",
     EFC_ERR_MODEL, 3, 5, "strictly increasing"},
    {"levels empty text", "id,parent,min,max,levels\nr,,,,\na,r,0,4,0=|4=Yes\n", EFC_ERR_MODEL, 3,
     5, "the text is empty"},
    {"level outside goalposts", "id,parent,min,max,levels\nr,,,,\na,r,0,4,0=No|5=Yes\n",
     EFC_ERR_MODEL, 3, 5, "level 5 is outside the goalposts [0, 4]"},
    {"translated levels differ",
     "id,parent,min,max,levels,levels_fr\nr,,,,,\na,r,0,4,0=No|4=Yes,0=Non|3=Oui\n", EFC_ERR_MODEL,
     3, 0, "levels_fr must list the same values as levels"},
    {"levels on a group", "id,parent,min,max,levels\nr,,,,0=a|1=b\na,r,0,4,\n", EFC_ERR_MODEL, 2, 5,
     "only for leaves"},
    {"control character in label", "id,parent,min,max,label\nr,,,,\na,r,0,4,\"x\001y\"\n",
     EFC_ERR_CSV, 3, 5, "control character"},
    {"invalid UTF-8", "id,parent,min,max,label\nr,,,,\na,r,0,4,caf\xe9\n", EFC_ERR_CSV, 3, 5,
     "not valid UTF-8"},
    {"stray quote", HEAD "r,,1,,,mean\na\"b,r,1,0,4,\n", EFC_ERR_CSV, 3, 1, "malformed quoting"},
    {"text after closing quote", HEAD "r,,1,,,mean\n\"a\"b,r,1,0,4,\n", EFC_ERR_CSV, 3, 1,
     "malformed quoting"},
    {"unterminated quote", HEAD "r,,1,,,mean\na,r,1,0,4,\"mean\nb,r,1,0,4,\n", EFC_ERR_CSV, 3, 6,
     "quote opened on line 3 is never closed"},
};

static void test_error_cases(void **state)
{
    (void)state;
    efc_error *err = new_error();
    size_t named = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const error_case *c = &cases[i];
        efc_model *m = (efc_model *)1;
        efc_status st = load_text(&m, c->csv, err);
        if (st != c->status || m != NULL || efc_error_line(err) != c->line ||
            efc_error_column(err) != c->column || !strstr(efc_error_message(err), c->reason) ||
            strcmp(efc_error_source(err), "cb.csv") != 0 ||
            strcmp(efc_error_column_name(err), column_name_of(c->csv, c->column)) != 0)
            fail_msg("case '%s': status %d, got '%s' (line %zu, column %zu '%s'); expected "
                     "status %d, line %zu, column %zu '%s', reason containing '%s'",
                     c->name, (int)st, efc_error_text(err), efc_error_line(err),
                     efc_error_column(err), efc_error_column_name(err), (int)c->status, c->line,
                     c->column, column_name_of(c->csv, c->column), c->reason);
        named += c->column != 0;
        efc_error_clear(err);
    }
    assert_true(named >= 40); /* the column name was checked in all these */
    efc_error_free(err);
}

/* The error text puts the location first, as compilers do. */
static void test_error_text_format(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_status(load_text(&m, HEAD "r,,1,,,mean\na,r,-2,0,4,\n", err), EFC_ERR_MODEL, err);
    assert_string_equal(efc_error_text(err),
                        "cb.csv:3:3: weight: node 'a': weight must be finite and >= 0, got -2");
    assert_int_equal(efc_error_code(err), EFC_ERR_MODEL);
    efc_error_free(err);
}

static void test_nul_byte(void **state)
{
    (void)state;
    const char csv[] = "id,parent,min,max\nr,,,\na,r,0,4\nb\0c,r,0,4\n";
    efc_error *err = new_error();
    efc_model *m;
    assert_status(efc_model_load_buffer(&m, csv, sizeof csv - 1, "nul.csv", NULL, err), EFC_ERR_CSV,
                  err);
    assert_int_equal(efc_error_line(err), 4);
    assert_int_equal(efc_error_column(err), 1);
    assert_string_equal(efc_error_column_name(err), "id");
    assert_non_null(strstr(efc_error_message(err), "NUL byte"));
    efc_error_free(err);
}

static void test_field_too_long(void **state)
{
    (void)state;
    /* a codebook's field may hold a fitted group_value: 64 MiB + 1 KiB */
    size_t big = ((size_t)64 << 20) + 1024 + 10;
    const char *head = "id,parent,min,max,description\nr,,,,\na,r,0,4,";
    char *csv = malloc(strlen(head) + big + 2);
    strcpy(csv, head);
    memset(csv + strlen(head), 'x', big);
    strcpy(csv + strlen(head) + big, "\n");
    efc_error *err = new_error();
    efc_model *m;
    assert_status(load_text(&m, csv, err), EFC_ERR_CSV, err);
    assert_int_equal(efc_error_line(err), 3);
    assert_int_equal(efc_error_column(err), 5);
    assert_string_equal(efc_error_column_name(err), "description");
    assert_non_null(strstr(efc_error_message(err), "field longer than 67109888 bytes"));
    free(csv);
    efc_error_free(err);
}

/* Line numbers count physical lines: quoted newlines, CRLF and lone CR. */
static void test_line_numbers(void **state)
{
    (void)state;
    const char *variants[] = {
        "id,parent,description,min,max\r\nr,,\"two\r\nlines\",,\r\n\r\na,r,,0,4\r\nb,r,,0,x\r\n",
        "id,parent,description,min,max\rr,,\"two\rlines\",,\r\ra,r,,0,4\rb,r,,0,x\r",
        "id,parent,description,min,max\nr,,\"two\nlines\",,\n\n  \na,r,,0,4\nb,r,,0,x",
    };
    size_t expected_line[] = {6, 6, 7};
    efc_error *err = new_error();
    for (size_t i = 0; i < 3; i++) {
        efc_model *m;
        assert_status(load_text(&m, variants[i], err), EFC_ERR_MODEL, err);
        if (efc_error_line(err) != expected_line[i] || efc_error_column(err) != 5 ||
            strcmp(efc_error_column_name(err), "max") != 0)
            fail_msg("variant %zu: %s, expected line %zu column 5", i, efc_error_text(err),
                     expected_line[i]);
    }
    efc_error_free(err);
}

/* A codebook of `leaves` leaves under one root, in a malloc'ed string. */
static char *wide_codebook(size_t leaves)
{
    char *csv = malloc(32 + leaves * 24);
    size_t n = (size_t)sprintf(csv, "id,parent,min,max\nr,,,\n");
    for (size_t j = 0; j < leaves; j++)
        n += (size_t)sprintf(csv + n, "q%zu,r,0,4\n", j + 1);
    return csv;
}

/* A leaf is a survey column: a model with more leaves than a survey row can
 * hold with the id and period would load and never read a survey. */
static void test_too_many_leaves(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    char *csv = wide_codebook(EFC_MODEL_MAX_LEAVES);
    assert_status(load_text(&m, csv, err), EFC_OK, err);
    assert_int_equal(efc_model_leaf_count(m), EFC_MODEL_MAX_LEAVES);
    assert_int_equal(efc_model_leaf_count(m) + 2, EFC_SURVEY_MAX_COLUMNS);
    efc_model_free(m);
    free(csv);

    csv = wide_codebook(EFC_MODEL_MAX_LEAVES + 1);
    assert_status(load_text(&m, csv, err), EFC_ERR_MODEL, err);
    assert_null(m);
    /* the first leaf beyond the limit: q99999, on line 2 + 99999 */
    assert_int_equal(efc_error_line(err), 2 + EFC_MODEL_MAX_LEAVES + 1);
    assert_int_equal(efc_error_column(err), 1);
    assert_string_equal(efc_error_column_name(err), "id");
    assert_non_null(strstr(efc_error_message(err), "leaf 'q99999'"));
    assert_non_null(strstr(efc_error_message(err), "at most 99998 leaves"));
    assert_non_null(strstr(efc_error_message(err), "at most 100000 columns"));
    free(csv);

    /* built in code: the same limit, without a place in a file */
    assert_status(efc_model_create(&m, NULL, err), EFC_OK, err);
    assert_status(efc_model_add_group(NULL, m, "r", "", err), EFC_OK, err);
    char id[32];
    for (size_t j = 0; j <= EFC_MODEL_MAX_LEAVES; j++) {
        snprintf(id, sizeof id, "q%zu", j + 1);
        assert_status(efc_model_add_leaf(NULL, m, id, "r", 0, 4, err), EFC_OK, err);
    }
    assert_status(efc_model_finalize(m, err), EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_line(err), 0);
    assert_non_null(strstr(efc_error_message(err), "at most 99998 leaves"));
    efc_model_free(m);
    efc_error_free(err);
}

static void test_missing_file(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_status(efc_model_load_path(&m, "/nonexistent/dir/cb.csv", NULL, err), EFC_ERR_IO, err);
    assert_string_equal(efc_error_source(err), "/nonexistent/dir/cb.csv");
    assert_non_null(strstr(efc_error_message(err), "cannot open"));
    assert_status(efc_model_load_path(&m, "/", NULL, err), EFC_ERR_IO, err);
    assert_non_null(strstr(efc_error_message(err), "directory"));
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_cases),  cmocka_unit_test(test_error_text_format),
        cmocka_unit_test(test_nul_byte),     cmocka_unit_test(test_field_too_long),
        cmocka_unit_test(test_line_numbers), cmocka_unit_test(test_too_many_leaves),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
