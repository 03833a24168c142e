/* Internal modules: numbers, text checks, decoding and CSV records. Linked
 * against the static library, where internal functions are visible. */
#include <locale.h>
#include <unistd.h>

#include "helpers.h"

#include "alloc.h"
#include "csv_reader.h"
#include "input.h"
#include "number.h"
#include "text.h"

static double parse(const char *s, char sep, efc__num_status expect)
{
    double v = -12345;
    efc__num_status st = efc__parse_number(s, strlen(s), sep, 0, &v);
    if (st != expect)
        fail_msg("parse('%s') gave status %d, expected %d", s, (int)st, (int)expect);
    return v;
}

static void test_number_cases(void **state)
{
    (void)state;
    assert_same_bits(parse("0.1", '.', EFC__NUM_OK), 0.1);
    assert_same_bits(parse(" 3 ", '.', EFC__NUM_OK), 3.0);
    assert_same_bits(parse("+.5", '.', EFC__NUM_OK), 0.5);
    assert_same_bits(parse("7.", '.', EFC__NUM_OK), 7.0);
    assert_same_bits(parse("-0", '.', EFC__NUM_OK), -0.0);
    assert_true(signbit(parse("-0.000", '.', EFC__NUM_OK)));
    assert_same_bits(parse("1e22", '.', EFC__NUM_OK), 1e22);
    assert_same_bits(parse("2.5E-3", '.', EFC__NUM_OK), 2.5e-3);
    assert_same_bits(parse("9007199254740993", '.', EFC__NUM_OK), 9007199254740992.0);
    assert_same_bits(parse("1.7976931348623157e308", '.', EFC__NUM_OK), 1.7976931348623157e308);
    assert_same_bits(parse("4.9e-324", '.', EFC__NUM_OK), 4.9e-324);
    assert_same_bits(parse("0.1234567890123456789012", '.', EFC__NUM_OK), 0.1234567890123456789012);
    assert_same_bits(parse("1e-400", '.', EFC__NUM_OK), 0.0);
    assert_same_bits(parse("00012.50", '.', EFC__NUM_OK), 12.5);
    assert_same_bits(parse("0,5", ',', EFC__NUM_OK), 0.5);
    parse("1e400", '.', EFC__NUM_OVERFLOW);
    parse("", '.', EFC__NUM_EMPTY);
    parse("   ", '.', EFC__NUM_EMPTY);
    const char *bad[] = {"nan", "NaN", "inf", "-Infinity", "0x10", "1e",    "1e+", "1.2.3", "--1",
                         "+",   ".",   "1 2", "1e5x",      "0,5",  "1_000", "١",   "½"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        parse(bad[i], '.', EFC__NUM_SYNTAX);
    parse("0.5", ',', EFC__NUM_SYNTAX); /* only the separator asked for */
    char longnum[EFC__NUMBER_MAX + 2];
    memset(longnum, '1', sizeof longnum - 1);
    longnum[sizeof longnum - 1] = '\0';
    parse(longnum, '.', EFC__NUM_TOO_LONG);
    double v;
    assert_int_equal(efc__parse_number("2,5", 3, '.', ',', &v), EFC__NUM_OK);
    assert_same_bits(v, 2.5);
}

/* The fast path and strtod agree on random decimal texts, bit for bit. */
static void test_number_property(void **state)
{
    (void)state;
    unsigned seed = 2024;
    char s[64];
    for (int i = 0; i < 200000; i++) {
        size_t k = 0;
        seed = seed * 1103515245u + 12345u;
        if (seed & 0x100)
            s[k++] = '-';
        int ndig = 1 + (int)((seed >> 9) % 24);
        int point = (int)((seed >> 14) % (unsigned)(ndig + 1));
        for (int d = 0; d < ndig; d++) {
            if (d == point && d > 0)
                s[k++] = '.';
            seed = seed * 1103515245u + 12345u;
            s[k++] = (char)('0' + (seed >> 16) % 10);
        }
        seed = seed * 1103515245u + 12345u;
        if ((seed >> 10) % 3 == 0)
            k += (size_t)snprintf(s + k, sizeof s - k, "e%d", (int)((seed >> 12) % 61) - 30);
        s[k] = '\0';
        double mine;
        assert_int_equal(efc__parse_number(s, k, '.', 0, &mine), EFC__NUM_OK);
        double ref = strtod(s, NULL);
        if (memcmp(&mine, &ref, sizeof ref) != 0)
            fail_msg("'%s': %.17g, strtod says %.17g", s, mine, ref);
    }
}

static void test_format(void **state)
{
    (void)state;
    struct {
        double x;
        const char *text;
    } cases[] = {{0.1, "0.1"},
                 {75000, "75000"},
                 {-3, "-3"},
                 {1e-7, "1e-07"},
                 {1.5e-6, "0.0000015"},
                 {1e21, "1e+21"},
                 {123456789012345680000.0, "123456789012345680000"},
                 {0.30000000000000004, "0.30000000000000004"},
                 {5e-324, "5e-324"},
                 {1.7976931348623157e308, "1.7976931348623157e+308"},
                 {0.0, "0"},
                 {-0.0, "-0"},
                 {NAN, "nan"},
                 {-INFINITY, "-inf"}};
    char buf[EFC__NUMBER_BUF];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        efc__fmt_number(cases[i].x, buf);
        assert_string_equal(buf, cases[i].text);
    }
    /* any finite double reads back exactly */
    uint64_t bits = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 100000; i++) {
        bits ^= bits << 13;
        bits ^= bits >> 7;
        bits ^= bits << 17;
        double x;
        memcpy(&x, &bits, sizeof x);
        if (!isfinite(x))
            continue;
        size_t n = efc__fmt_number(x, buf);
        double back;
        assert_int_equal(efc__parse_number(buf, n, '.', 0, &back), EFC__NUM_OK);
        assert_same_bits(back, x);
    }
}

/* A host program that set a locale with a decimal comma changes nothing. */
static void test_locale_independence(void **state)
{
    (void)state;
    double slow_ref = strtod("0.1234567890123456789012", NULL);
    if (!setlocale(LC_ALL, "fr_FR.UTF-8"))
        fail_msg("locale fr_FR.UTF-8 is not installed: run tools/setup.sh");
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    assert_string_equal(probe, "1,5"); /* the locale is really in effect */
    double v;
    assert_int_equal(efc__parse_number("0.5", 3, '.', 0, &v), EFC__NUM_OK);
    assert_same_bits(v, 0.5);
    const char *slow = "0.1234567890123456789012";
    assert_int_equal(efc__parse_number(slow, strlen(slow), '.', 0, &v), EFC__NUM_OK);
    assert_same_bits(v, slow_ref);
    char buf[EFC__NUMBER_BUF];
    efc__fmt_number(0.3333333333333333, buf);
    assert_string_equal(buf, "0.3333333333333333");
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(
        load_text(&m, "id,parent,min,max,weight\nr,,,,\na,r,0.5,2.5,1.5\nb,r,0,1,0.25\n", err),
        err);
    assert_same_bits(efc_model_node_min(m, 1), 0.5);
    assert_same_bits(efc_model_node_weight(m, 2), 0.25);
    size_t len;
    assert_ok(efc_model_export_buffer(NULL, 0, &len, m, err), err);
    char *text = malloc(len + 1);
    assert_ok(efc_model_export_buffer(text, len + 1, &len, m, err), err);
    assert_non_null(strstr(text, "a,r,,,,1.5,0.5,2.5,+,none,,,\n"));
    free(text);
    efc_model_free(m);
    efc_error_free(err);
    setlocale(LC_ALL, "C");
}

static void test_text(void **state)
{
    (void)state;
    assert_int_equal(efc__utf8_valid_prefix("caf\xc3\xa9", 5), 5);
    assert_int_equal(efc__utf8_valid_prefix("\xf0\x9f\x98\x80!", 5), 5);
    assert_int_equal(efc__utf8_valid_prefix("a\xc0\xafz", 4), 1);       /* overlong '/' */
    assert_int_equal(efc__utf8_valid_prefix("a\xed\xa0\x80", 4), 1);    /* surrogate */
    assert_int_equal(efc__utf8_valid_prefix("\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
    assert_int_equal(efc__utf8_valid_prefix("ab\xe2\x82", 4), 2);       /* truncated */
    assert_null(efc__text_problem("soc_needs", 9, EFC__TEXT_ID));
    assert_non_null(efc__text_problem("", 0, EFC__TEXT_ID));
    assert_non_null(efc__text_problem("a ", 2, EFC__TEXT_ID));
    assert_null(efc__text_problem("a\nb", 3, EFC__TEXT_BLOCK));
    assert_non_null(efc__text_problem("a\nb", 3, EFC__TEXT_LINE));
    assert_non_null(efc__text_problem("a\xc2\x85", 3, EFC__TEXT_LINE)); /* C1 control */
}

/* Read every record of a source into "line:field|field;" form. */
static char *records(efc__input *in, char delimiter, efc_status *status, efc_error *err)
{
    efc__csv *c;
    efc__csv_config cfg = {delimiter, 0, 0};
    size_t cap = 1 << 20, n = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    *status = efc__csv_open(&c, in, &cfg, in->alloc, err);
    if (*status)
        return out;
    efc__csv_record r;
    int have;
    while (!(*status = efc__csv_next(c, &r, &have, err)) && have) {
        n += (size_t)snprintf(out + n, cap - n, "%zu:", r.line);
        for (size_t i = 0; i < r.nfields && n < cap - 64; i++)
            n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "|" : "", efc__field(&r, i));
        n += (size_t)snprintf(out + n, cap - n, ";");
    }
    if (efc__csv_delimiter(c) != ',' && n < cap - 8)
        snprintf(out + n, cap - n, "[%c]", efc__csv_delimiter(c) == '\t' ? 't' : ';');
    efc__csv_close(c);
    return out;
}

static char *records_of(const char *data, size_t len, efc__encoding enc, efc_status *st,
                        efc_error *err)
{
    static efc_allocator std;
    efc__alloc_init(&std, NULL);
    efc__input in;
    if (len == (size_t)-1)
        len = strlen(data);
    assert_ok(efc__input_open_buffer(&in, data, len, "mem", enc, &std, err), err);
    char *r = records(&in, 0, st, err);
    efc__input_close(&in);
    return r;
}

static void test_csv_basics(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_status st;
    char *r2;
    char *r = records_of("a,b\n1,\"x,\"\"y\"\"\"\n\n2, 3 \n", (size_t)-1, EFC__ENC_AUTO, &st, err);
    assert_ok(st, err);
    assert_string_equal(r, "1:a|b;2:1|x,\"y\";4:2|3;");
    free(r);
    r = records_of("a;b;c\n1;2,5;3", (size_t)-1, EFC__ENC_AUTO, &st, err);
    assert_string_equal(r, "1:a|b|c;2:1|2,5|3;[;]");
    free(r);
    r = records_of("a\tb\tc,d\n1\t2\t3,5\n", (size_t)-1, EFC__ENC_AUTO, &st, err);
    assert_string_equal(r, "1:a|b|c,d;2:1|2|3,5;[t]");
    /* a tie is ambiguous: the comma, the RFC 4180 delimiter, wins */
    r2 = records_of("a\tb,c\n", (size_t)-1, EFC__ENC_AUTO, &st, err);
    assert_string_equal(r2, "1:a\tb|c;");
    free(r2);
    free(r);
    /* UTF-8 BOM, CRLF, a quoted field spanning lines */
    r = records_of("\xEF\xBB\xBFid,t\r\n1,\"a\r\nb\"\r\n2,c\r\n", (size_t)-1, EFC__ENC_AUTO, &st,
                   err);
    assert_ok(st, err);
    assert_string_equal(r, "1:id|t;2:1|a\r\nb;4:2|c;");
    free(r);
    efc_error_free(err);
}

static void test_encodings(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_status st;
    /* "id,é\n1,😀\n" in UTF-16LE and BE with BOMs */
    const unsigned char le[] = {0xFF, 0xFE, 'i', 0,   'd', 0,    ',',  0,    0xE9, 0,    '\n',
                                0,    '1',  0,   ',', 0,   0x3D, 0xD8, 0x00, 0xDE, '\n', 0};
    unsigned char be[sizeof le];
    for (size_t i = 0; i < sizeof le; i += 2) {
        be[i] = le[i + 1];
        be[i + 1] = le[i];
    }
    char *r = records_of((const char *)le, sizeof le, EFC__ENC_AUTO, &st, err);
    assert_ok(st, err);
    assert_string_equal(r, "1:id|\xC3\xA9;2:1|\xF0\x9F\x98\x80;");
    free(r);
    r = records_of((const char *)be, sizeof be, EFC__ENC_AUTO, &st, err);
    assert_string_equal(r, "1:id|\xC3\xA9;2:1|\xF0\x9F\x98\x80;");
    free(r);
    r = records_of((const char *)le + 2, sizeof le - 2, EFC__ENC_UTF16LE, &st, err);
    assert_string_equal(r, "1:id|\xC3\xA9;2:1|\xF0\x9F\x98\x80;");
    free(r);
    /* a lone low surrogate on line 2: the lines before are read first */
    const unsigned char lone[] = {0xFF, 0xFE, 'a', 0, '\n', 0, 'b', 0, 0x00, 0xDC};
    r = records_of((const char *)lone, sizeof lone, EFC__ENC_AUTO, &st, err);
    assert_int_equal(st, EFC_ERR_CSV);
    assert_int_equal(efc_error_line(err), 2);
    assert_non_null(strstr(efc_error_message(err), "low surrogate"));
    free(r);
    const unsigned char odd[] = {0xFF, 0xFE, 'a', 0, 'b'};
    r = records_of((const char *)odd, sizeof odd, EFC__ENC_AUTO, &st, err);
    assert_int_equal(st, EFC_ERR_CSV);
    assert_non_null(strstr(efc_error_message(err), "middle of a character"));
    free(r);
    r = records_of((const char *)le, sizeof le, EFC__ENC_UTF8, &st, err);
    assert_int_equal(st, EFC_ERR_CSV);
    assert_non_null(strstr(efc_error_message(err), "UTF-16 byte order mark"));
    free(r);
    r = records_of((const char *)le + 2, sizeof le - 2, EFC__ENC_UTF16, &st, err);
    assert_int_equal(st, EFC_ERR_CSV);
    free(r);
    /* Windows-1252: é, €, and an undefined byte kept as a C1 control */
    r = records_of("caf\xe9,\x80\x81\n", (size_t)-1, EFC__ENC_CP1252, &st, err);
    assert_ok(st, err);
    assert_string_equal(r, "1:caf\xC3\xA9|\xE2\x82\xAC\xC2\x81;");
    free(r);
    r = records_of("\xEF\xBB\xBF"
                   "a\n",
                   (size_t)-1, EFC__ENC_CP1252, &st, err);
    assert_int_equal(st, EFC_ERR_CSV);
    free(r);
    /* UTF-16 without a byte order mark looks like NUL bytes: say so */
    r = records_of("a\0,\0b\0\n\0", 8, EFC__ENC_AUTO, &st, err);
    assert_int_equal(st, EFC_ERR_CSV);
    assert_non_null(strstr(efc_error_message(err), "UTF-16 without a byte order mark"));
    free(r);
    efc_error_free(err);
}

/* Line ends, surrogate pairs and quotes straddling the 64 KiB blocks in
 * which files are read, and the 1 MiB windows of memory sources. */
static void test_block_boundaries(void **state)
{
    (void)state;
    efc_error *err = new_error();
    for (size_t shift = 0; shift < 4; shift++) {
        /* record k is "k,<filler>" so that a CRLF falls on byte 65536 - shift */
        size_t cap = 300000, n = 0;
        char *data = malloc(cap);
        size_t line = 0;
        while (n < 200000) {
            line++;
            size_t target = 65536 - shift;
            size_t len = 40;
            if (n < target && n + 80 > target)
                len = target - n - 1 > 8 ? target - n - 1 : 40;
            n += (size_t)snprintf(data + n, cap - n, "%zu,", line);
            while (len-- > 10)
                data[n++] = 'x';
            data[n++] = '\r';
            data[n++] = '\n';
        }
        char path[] = "/tmp/efc-test-blocks-XXXXXX";
        int fd = mkstemp(path);
        assert_int_equal(write(fd, data, n), (ssize_t)n);
        close(fd);
        efc_allocator std;
        efc__alloc_init(&std, NULL);
        efc__input in;
        assert_ok(efc__input_open_path(&in, path, EFC__ENC_AUTO, &std, err), err);
        efc__csv *c;
        assert_ok(efc__csv_open(&c, &in, NULL, &std, err), err);
        efc__csv_record r;
        int have;
        size_t count = 0;
        while (!efc__csv_next(c, &r, &have, err) && have) {
            count++;
            assert_int_equal(r.line, count);
            assert_int_equal(strtoul(efc__field(&r, 0), NULL, 10), count);
            assert_int_equal(r.nfields, 2);
            assert_null(strchr(efc__field(&r, 1), '\r'));
        }
        assert_int_equal(count, line);
        efc__csv_close(c);
        efc__input_close(&in);
        remove(path);
        free(data);
    }
    /* UTF-8 characters of 2, 3 and 4 bytes cut by the 64 KiB block of a file */
    for (size_t cut = 1; cut <= 3; cut++) {
        static const char *chars[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
        size_t cap = 200000, n = 0;
        char *data = malloc(cap);
        const char *ch = chars[cut - 1];
        size_t clen = strlen(ch);
        n += (size_t)snprintf(data, cap, "id,t\n");
        /* one long field, so that the character starts `cut` bytes before 65536 */
        while (n < 65536 - cut) {
            data[n++] = 'x';
            if (n % 100 == 0)
                data[n++] = ',', data[n++] = 'y', data[n++] = '\n', data[n++] = 'a',
                data[n++] = ',';
        }
        n = 65536 - cut;
        memcpy(data + n, ch, clen);
        n += clen;
        memcpy(data + n, ",z\n", 3);
        n += 3;
        char path[] = "/tmp/efc-test-utf8-XXXXXX";
        int fd = mkstemp(path);
        assert_int_equal(write(fd, data, n), (ssize_t)n);
        close(fd);
        efc_allocator std;
        efc__alloc_init(&std, NULL);
        efc__input in;
        assert_ok(efc__input_open_path(&in, path, EFC__ENC_AUTO, &std, err), err);
        efc__csv *c;
        efc__csv_config cfg = {',', 0, 0};
        assert_ok(efc__csv_open(&c, &in, &cfg, &std, err), err);
        efc__csv_record r;
        int have;
        size_t records = 0;
        efc_status st;
        while (!(st = efc__csv_next(c, &r, &have, err)) && have)
            records++;
        assert_ok(st, err);
        assert_true(records > 600);
        efc__csv_close(c);
        efc__input_close(&in);
        remove(path);
        free(data);
    }
    /* a surrogate pair across the 1 MiB window of a UTF-16 memory source */
    size_t units = (1u << 19) + 8;
    unsigned char *u16 = malloc(units * 2 + 8);
    size_t k = 0;
    u16[k++] = 0xFF;
    u16[k++] = 0xFE;
    while (k < (1u << 20) - 2) {
        u16[k++] = 'a';
        u16[k++] = 0;
    }
    u16[k++] = 0x3D; /* high surrogate ends the first window, low starts the next */
    u16[k++] = 0xD8;
    u16[k++] = 0x00;
    u16[k++] = 0xDE;
    u16[k++] = '\n';
    u16[k++] = 0;
    efc_allocator std;
    efc__alloc_init(&std, NULL);
    efc__input in;
    assert_ok(efc__input_open_buffer(&in, u16, k, "big", EFC__ENC_AUTO, &std, err), err);
    efc__csv *c;
    efc__csv_config cfg = {',', (size_t)4 << 20, 0};
    assert_ok(efc__csv_open(&c, &in, &cfg, &std, err), err);
    efc__csv_record r;
    int have;
    assert_ok(efc__csv_next(c, &r, &have, err), err);
    assert_int_equal(have, 1);
    assert_int_equal(r.len[0], (1u << 19) - 2 + 4);
    assert_memory_equal(efc__field(&r, 0) + r.len[0] - 4, "\xF0\x9F\x98\x80", 4);
    efc__csv_close(c);
    efc__input_close(&in);
    free(u16);
    efc_error_free(err);
}

/* All records of a text, through the quote-free splitter or libcsv alone. */
static char *all_records(const char *text, size_t len, char delim, int libcsv_only, efc_status *st)
{
    static efc_allocator std;
    efc__alloc_init(&std, NULL);
    efc__input in;
    efc_error *err = new_error();
    assert_ok(efc__input_open_buffer(&in, text, len, "p", EFC__ENC_UTF8, &std, err), err);
    efc__csv *c;
    efc__csv_config cfg = {delim, 0, 0};
    assert_ok(efc__csv_open(&c, &in, &cfg, &std, err), err);
    efc__csv_set_libcsv_only(c, libcsv_only);
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    efc__csv_record r;
    int have;
    while (!(*st = efc__csv_next(c, &r, &have, err)) && have) {
        n += (size_t)snprintf(out + n, cap - n, "%zu:", r.line);
        for (size_t i = 0; i < r.nfields; i++)
            n += (size_t)snprintf(out + n, cap - n, "[%s]", efc__field(&r, i));
        n += (size_t)snprintf(out + n, cap - n, "\n");
    }
    if (*st)
        n += (size_t)snprintf(out + n, cap - n, "error %d %zu:%zu %s", (int)*st,
                              efc_error_line(err), efc_error_column(err), efc_error_message(err));
    efc__csv_close(c);
    efc__input_close(&in);
    efc_error_free(err);
    return out;
}

/* The quote-free line splitter gives exactly libcsv's records and lines. */
static void test_splitter_matches_libcsv(void **state)
{
    (void)state;
    const char alphabet[] = "ab1.5 \t,;|,,  \t\t";
    const char *ends[] = {"\n", "\r\n", "\r"};
    const char delims[] = {',', ';', '\t', ' ', '|'};
    unsigned seed = 31337;
    for (int t = 0; t < 3000; t++) {
        char text[2048];
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        const char *end = ends[(seed >> 16) % 3];
        int lines = 1 + (int)((seed >> 8) % 8);
        for (int l = 0; l < lines; l++) {
            seed = seed * 1103515245u + 12345u;
            int len = (int)((seed >> 16) % 24);
            for (int k = 0; k < len; k++) {
                seed = seed * 1103515245u + 12345u;
                text[n++] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
            }
            if (l < lines - 1 || (seed & 1))
                for (const char *e = end; *e; e++)
                    text[n++] = *e;
        }
        text[n] = '\0';
        char delim = delims[t % 5];
        efc_status a_st, b_st;
        char *a = all_records(text, n, delim, 0, &a_st);
        char *b = all_records(text, n, delim, 1, &b_st);
        if (strcmp(a, b) != 0 || a_st != b_st)
            fail_msg("delimiter '%c', text \"%s\":\nsplitter:\n%s\nlibcsv:\n%s", delim, text, a, b);
        free(a);
        free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_cases),
        cmocka_unit_test(test_number_property),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_locale_independence),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_csv_basics),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_block_boundaries),
        cmocka_unit_test(test_splitter_matches_libcsv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
