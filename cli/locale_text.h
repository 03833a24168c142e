/* The words and numbers of reports, charts and questionnaires in English
 * or French. Numbers are formatted here from integers, never with the
 * process locale, so a report is the same byte for byte wherever it is
 * made and its decimal separator is the one of its language. */
#ifndef EFC_CLI_LOCALE_TEXT_H
#define EFC_CLI_LOCALE_TEXT_H

#include <stddef.h>

typedef struct ui_text {
    const char *lang;  /* "en" or "fr": the model's texts in this language */
    char decimal;      /* '.' or ',' */
    const char *group; /* thousands separator: "," or a narrow no-break space */
    /* page */
    const char *report_title;
    const char *generated_by; /* "Made with" */
    const char *model;
    const char *survey;
    const char *actors;
    const char *one_actor; /* "actors" for a count of 1 */
    const char *assessments;
    const char *periods;
    const char *peer_group; /* "Peer group" */
    const char *all_actors;
    const char *contents;
    /* overview */
    const char *overview;
    const char *overview_intro;
    const char *actor;
    const char *latest_period;
    const char *thresholds;
    const char *passes_all;
    const char *fails; /* "fails" followed by a count */
    const char *no_thresholds;
    const char *rank;
    const char *rank_in; /* "Rank in" followed by the column */
    const char *pass_mark, *fail_mark;
    const char *pass_word, *fail_word, *missing_word;
    const char *sections_note; /* sections written for some actors only */
    /* actor sections */
    const char *scores_at; /* "Scores at" followed by a period */
    const char *score;
    const char *peer_median;
    const char *gap;
    const char *threshold;
    const char *radar_caption;
    const char *trajectory_caption;
    const char *transfer;  /* legend of a transfer marker */
    const char *transfers; /* heading */
    const char *no_transfers;
    const char *largest_gaps;
    const char *largest_gaps_intro;
    const char *no_gaps;
    const char *item;
    const char *node;
    const char *parent;
    const char *from, *to;
    const char *back;
    const char *no_score;
    const char *peers; /* "peers" after a count */
    const char *group_word;
    /* questionnaire */
    const char *questionnaire_title;
    const char *questionnaire_intro;
    const char *respondent;
    const char *period_word;
    const char *answer_between; /* "Answer from" min "to" max */
    const char *and_word;
    const char *not_applicable;
} ui_text;

/* The texts of a language: "fr" or anything else for English. */
const ui_text *ui_text_for(const char *lang);

/* A score in [0, 1] shown on 0..100 with one decimal ("62.5", "62,5");
 * "–" for NaN. buf holds at least 32 bytes; returns buf. */
const char *ui_score(const ui_text *t, double v, char *buf);
/* A signed difference of scores on 0..100 with one decimal ("+3.2",
 * "−12,0"; a true minus sign); "–" for NaN. */
const char *ui_gap(const ui_text *t, double v, char *buf);
/* A count with the language's thousands separator ("10,000", "10 000"). */
const char *ui_count(const ui_text *t, unsigned long long n, char *buf);
/* A number as given (a period such as "2024.5") with the language's
 * decimal separator, into buf of `cap` bytes. */
const char *ui_period(const ui_text *t, const char *period, char *buf, size_t cap);

#endif
