/* English and French texts of the reports. The French numbers follow the
 * French typographic rules: decimal comma and a narrow no-break space
 * (U+202F) between thousands. */
#include "locale_text.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const ui_text en = {
    .lang = "en",
    .decimal = '.',
    .group = ",",
    .report_title = "EFC assessment report",
    .generated_by = "Made with",
    .model = "Model",
    .survey = "Survey",
    .actors = "actors",
    .one_actor = "actor",
    .assessments = "assessments",
    .periods = "Periods",
    .peer_group = "Peer group",
    .all_actors = "all actors",
    .contents = "Actors",
    .overview = "Overview",
    .overview_intro = "Each actor's latest scores, on a scale from 0 to 100. A score below its "
                      "node's threshold is marked \xe2\x9c\x97, one at or above it "
                      "\xe2\x9c\x93. Ranks are on the overall score, 1 for the best.",
    .actor = "Actor",
    .latest_period = "Latest period",
    .thresholds = "Thresholds",
    .passes_all = "all met",
    .fails = "missed:",
    .no_thresholds = "none",
    .rank = "Rank",
    .rank_in = "Rank in",
    .pass_mark = "\xe2\x9c\x93",
    .fail_mark = "\xe2\x9c\x97",
    .pass_word = "met",
    .fail_word = "missed",
    .missing_word = "no score",
    .sections_note = "Detailed sections are given for the actors chosen with --actors; the "
                     "others appear in the overview only.",
    .scores_at = "scores at",
    .score = "Score",
    .peer_median = "Peer median",
    .gap = "Gap",
    .threshold = "Threshold",
    .radar_caption = "Latest scores on each axis and block (filled) against the peer group's "
                     "median (dashed).",
    .trajectory_caption = "Scores over the periods; the dotted line is the threshold, a red "
                          "segment and triangle mark an impact transfer (the node fell while "
                          "its parent rose).",
    .transfer = "impact transfer",
    .transfers = "Impact transfers",
    .no_transfers = "No impact transfer.",
    .largest_gaps = "Items with the largest gaps",
    .largest_gaps_intro = "The items furthest below the peer group's median at the latest "
                          "period.",
    .no_gaps = "No item is below the peer group's median.",
    .item = "Item",
    .node = "Node",
    .parent = "Parent",
    .from = "From",
    .to = "To",
    .back = "Back to the overview",
    .no_score = "no score",
    .peers = "peers",
    .group_word = "group",
    .questionnaire_title = "EFC assessment questionnaire",
    .questionnaire_intro = "For each item, tick the level that best describes the situation. "
                           "Leave an item blank when it does not apply or is not known.",
    .respondent = "Actor",
    .period_word = "Period",
    .answer_between = "Answer from",
    .and_word = "to",
    .not_applicable = "Not applicable or not known",
};

static const ui_text fr = {
    .lang = "fr",
    .decimal = ',',
    .group = "\xe2\x80\xaf",
    .report_title = "Rapport d\xe2\x80\x99\xc3\xa9valuation EFC",
    .generated_by = "R\xc3\xa9\x61lis\xc3\xa9 avec",
    .model = "Mod\xc3\xa8le",
    .survey = "Enqu\xc3\xaate",
    .actors = "acteurs",
    .one_actor = "acteur",
    .assessments = "\xc3\xa9valuations",
    .periods = "P\xc3\xa9riodes",
    .peer_group = "Groupe de pairs",
    .all_actors = "tous les acteurs",
    .contents = "Acteurs",
    .overview = "Vue d\xe2\x80\x99\x65nsemble",
    .overview_intro = "Les derniers scores de chaque acteur, sur une \xc3\xa9\x63helle de 0 "
                      "\xc3\xa0 100. Un score sous le seuil de son n\xc5\x93ud est marqu\xc3\xa9 "
                      "\xe2\x9c\x97, un score au moins \xc3\xa9gal au seuil \xe2\x9c\x93. Les "
                      "rangs portent sur le score global, 1 pour le meilleur.",
    .actor = "Acteur",
    .latest_period = "Derni\xc3\xa8re p\xc3\xa9riode",
    .thresholds = "Seuils",
    .passes_all = "tous atteints",
    .fails = "manqu\xc3\xa9s\xc2\xa0:",
    .no_thresholds = "aucun",
    .rank = "Rang",
    .rank_in = "Rang par",
    .pass_mark = "\xe2\x9c\x93",
    .fail_mark = "\xe2\x9c\x97",
    .pass_word = "atteint",
    .fail_word = "manqu\xc3\xa9",
    .missing_word = "sans score",
    .sections_note = "Les sections d\xc3\xa9taill\xc3\xa9\x65s ne sont donn\xc3\xa9\x65s que pour "
                     "les acteurs choisis avec --actors\xc2\xa0; les autres ne figurent que dans "
                     "la vue d\xe2\x80\x99\x65nsemble.",
    .scores_at = "scores en",
    .score = "Score",
    .peer_median = "M\xc3\xa9\x64iane des pairs",
    .gap = "\xc3\x89\x63\x61rt",
    .threshold = "Seuil",
    .radar_caption = "Derniers scores sur chaque axe et bloc (en plein) face \xc3\xa0 la "
                     "m\xc3\xa9\x64iane du groupe de pairs (en tirets).",
    .trajectory_caption =
        "Scores au fil des p\xc3\xa9riodes\xc2\xa0; la ligne pointill\xc3\xa9\x65 "
        "est le seuil, un segment et un triangle rouges marquent un transfert "
        "d\xe2\x80\x99impact (le n\xc5\x93ud a baiss\xc3\xa9 quand son parent "
        "montait).",
    .transfer = "transfert d\xe2\x80\x99impact",
    .transfers = "Transferts d\xe2\x80\x99impact",
    .no_transfers = "Aucun transfert d\xe2\x80\x99impact.",
    .largest_gaps = "Items aux plus grands \xc3\xa9\x63\x61rts",
    .largest_gaps_intro = "Les items les plus en dessous de la m\xc3\xa9\x64iane du groupe de "
                          "pairs \xc3\xa0 la derni\xc3\xa8re p\xc3\xa9riode.",
    .no_gaps = "Aucun item n\xe2\x80\x99\x65st sous la m\xc3\xa9\x64iane du groupe de pairs.",
    .item = "Item",
    .node = "N\xc5\x93ud",
    .parent = "Parent",
    .from = "De",
    .to = "\xc3\x80",
    .back = "Retour \xc3\xa0 la vue d\xe2\x80\x99\x65nsemble",
    .no_score = "sans score",
    .peers = "pairs",
    .group_word = "groupe",
    .questionnaire_title = "Questionnaire d\xe2\x80\x99\xc3\xa9valuation EFC",
    .questionnaire_intro =
        "Pour chaque item, cochez le niveau qui d\xc3\xa9\x63rit le mieux la "
        "situation. Laissez un item vide s\xe2\x80\x99il ne s\xe2\x80\x99\x61pplique "
        "pas ou n\xe2\x80\x99\x65st pas connu.",
    .respondent = "Acteur",
    .period_word = "P\xc3\xa9riode",
    .answer_between = "R\xc3\xa9ponse de",
    .and_word = "\xc3\xa0",
    .not_applicable = "Sans objet ou inconnu",
};

const ui_text *ui_text_for(const char *lang)
{
    return lang && strcmp(lang, "fr") == 0 ? &fr : &en;
}

/* |v| x 10 rounded half away from zero, as integer tenths. */
static uint64_t tenths(double v)
{
    return (uint64_t)(fabs(v) * 1000.0 + 0.5);
}

static const char *put_tenths(const ui_text *t, uint64_t n, const char *sign, char *buf)
{
    snprintf(buf, 32, "%s%llu%c%u", sign, (unsigned long long)(n / 10), t->decimal,
             (unsigned)(n % 10));
    return buf;
}

const char *ui_score(const ui_text *t, double v, char *buf)
{
    if (isnan(v))
        return strcpy(buf, "\xe2\x80\x93");
    return put_tenths(t, tenths(v), "", buf);
}

const char *ui_gap(const ui_text *t, double v, char *buf)
{
    if (isnan(v))
        return strcpy(buf, "\xe2\x80\x93");
    uint64_t n = tenths(v);
    /* a true minus sign (U+2212), as typography wants; zero has no sign */
    return put_tenths(t, n, n == 0 ? "" : v < 0 ? "\xe2\x88\x92" : "+", buf);
}

const char *ui_count(const ui_text *t, unsigned long long n, char *buf)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", n);
    size_t o = 0, gl = strlen(t->group);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0) {
            memcpy(buf + o, t->group, gl);
            o += gl;
        }
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

const char *ui_period(const ui_text *t, const char *period, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", period);
    /* only numbers carry a decimal point; dates have none */
    for (char *p = buf; *p && t->decimal != '.'; p++)
        if (*p == '.')
            *p = t->decimal;
    return buf;
}
