/* Reading a survey: the caller's batch is filled from units of converted
 * rows (made on demand, or ahead by a reader thread: survey_feed.c), then
 * scored. Rows come in file order and errors after the rows before them,
 * so results are identical whatever the number of threads. */
#include "error_internal.h"
#include "model_internal.h"
#include "survey_internal.h"

static efc_status stop(efc_survey *s, efc_status st)
{
    s->broken = 1;
    return st;
}

/* The accounts of items [from, to) of a unit taken by the reader. */
static void account(efc_survey *s, const efc_batch *src, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        s->rows_read++;
        if (src->item_is_reject[i])
            s->rows_rejected++;
        else
            s->clamped += src->row_clamped[src->item_index[i]];
    }
}

/* Take the items of the current unit into the batch, or the combiner. */
static efc_status take(efc_survey *s, efc_batch *b, efc_error *err)
{
    const efc_batch *src = s->unit->rows;
    size_t from = s->unit_pos;
    if (!s->comb) {
        if (!efc__batch_copy_items(b, src, &s->unit_pos, src->nitems))
            return efc__nomem(err);
    } else {
        /* rows go to the combiner (they come out at the end), rejects to the batch */
        while (s->unit_pos < src->nitems && !efc__batch_full(b)) {
            if (src->item_is_reject[s->unit_pos]) {
                if (!efc__batch_copy_items(b, src, &s->unit_pos, s->unit_pos + 1))
                    return efc__nomem(err);
                continue;
            }
            efc_status st = efc__combiner_add(s, src, src->item_index[s->unit_pos], err);
            if (st)
                return st;
            s->unit_pos++;
        }
    }
    account(s, src, from, s->unit_pos);
    return EFC_OK;
}

efc_status efc_survey_read(efc_batch *b, efc_survey *s, efc_error *err)
{
    if (!s || !b || b->survey != s)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "survey or batch is NULL, or the batch was "
                         "created for another survey");
    efc__batch_reset(b);
    if (s->broken)
        return efc__fail(err, EFC_ERR_STATE, "the survey stopped at an earlier error");
    efc_status st;
    while (!efc__batch_full(b) && !s->input_done) {
        if (!s->unit || s->unit_pos == s->unit->rows->nitems) {
            if (s->unit && s->unit->status) {
                efc__error_copy(err, s->unit->error);
                return stop(s, s->unit->status);
            }
            if (s->unit && s->unit->eof) {
                s->input_done = 1;
                break;
            }
            if ((st = efc__feeder_next(s, &s->unit, err)))
                return stop(s, st);
            s->unit_pos = 0;
            s->bytes = s->unit->bytes;
            s->rows_empty += s->unit->empty_rows;
            /* the reader thread leaves every other unit to be scored here */
            efc_batch *rows = s->unit->rows;
            if (!s->comb && rows->rows && !rows->scored &&
                (st = efc__batch_score(rows, s->model, err)))
                return stop(s, st);
            if (s->unit->period_kind != EFC_PERIOD_NONE)
                s->period_kind = s->unit->period_kind;
            continue;
        }
        /* a whole unit into an empty batch of its shape: exchange, not copy */
        if (!s->comb && s->unit_pos == 0 && b->nitems == 0 && efc__batch_swap(b, s->unit->rows)) {
            account(s, b, 0, b->nitems);
            /* the unit now holds the batch's old, empty storage: used up */
            efc__batch_reset(s->unit->rows);
            s->unit_pos = 0;
            break;
        }
        if ((st = take(s, b, err)))
            return stop(s, st);
    }
    if (s->comb && s->input_done && (st = efc__combiner_emit(s, b, err)))
        return stop(s, st);
    /* rows were scored by the producer, combined rows are scored here */
    if (s->comb && (st = efc__batch_score(b, s->model, err)))
        return stop(s, st);
    b->scored = 1;
    s->rows_out += b->rows;
    return EFC_OK;
}
