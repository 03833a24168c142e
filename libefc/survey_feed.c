/* Units of converted rows for the survey reader. With one thread, a unit
 * is produced and scored when the reader asks for it. With more, a reader
 * thread produces ahead (reading, decoding, splitting, checking and
 * converting rows) into a ring of a few units while the caller writes out
 * earlier ones; scoring goes to whichever side is free (see reader()), so
 * the work spreads over two cores. Units travel in file order and carry any
 * error after their rows, so results and errors are the same whatever the
 * number of threads. */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "error_internal.h"
#include "survey_internal.h"

#define BLOCKS    4
#define UNIT_ROWS 512

typedef struct efc__feeder {
    efc__unit blocks[BLOCKS];
    int threaded;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t filled_cond, free_cond;
    size_t full[BLOCKS]; /* filled blocks in file order: a FIFO */
    size_t nfull, full_head;
    size_t free_list[BLOCKS];
    size_t nfree;
    int stop;      /* the consumer is gone: the reader thread must end */
    int done;      /* the reader thread filled its last block */
    size_t given;  /* the block handed to the consumer, or BLOCKS */
    efc__unit end; /* handed out if asked again after the last unit */
} efc__feeder;

int efc__feeder_threads(const efc_survey_options *o)
{
    unsigned n = o->threads;
    if (n == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = cores > 1 ? 2 : 1;
    }
    return n > 1;
}

static void *reader(void *arg)
{
    efc_survey *s = arg;
    efc__feeder *f = s->feed;
    for (;;) {
        pthread_mutex_lock(&f->lock);
        while (f->nfree == 0 && !f->stop)
            pthread_cond_wait(&f->free_cond, &f->lock);
        if (f->stop) {
            pthread_mutex_unlock(&f->lock);
            return NULL;
        }
        size_t k = f->free_list[--f->nfree];
        pthread_mutex_unlock(&f->lock);

        efc__unit *u = &f->blocks[k];
        efc__produce(s, u);
        int last = u->eof || u->status != EFC_OK;

        /* Who scores: if the caller still has units waiting, it is busy
         * and this thread scores; if not, the caller may be idle, so the
         * unit goes to it unscored and it scores it. Each side takes more
         * of the scoring as the other falls behind. */
        pthread_mutex_lock(&f->lock);
        int caller_busy = f->nfull > 0;
        pthread_mutex_unlock(&f->lock);
        if (caller_busy)
            efc__unit_score(s, u);

        pthread_mutex_lock(&f->lock);
        f->full[(f->full_head + f->nfull++) % BLOCKS] = k;
        f->done = last;
        pthread_cond_signal(&f->filled_cond);
        pthread_mutex_unlock(&f->lock);
        if (last)
            return NULL;
    }
}

efc_status efc__feeder_start(efc_survey *s, efc_error *err)
{
    efc__feeder *f = efc__malloc(&s->alloc, sizeof *f);
    if (!f)
        return efc__nomem(err);
    memset(f, 0, sizeof *f);
    s->feed = f;
    f->given = BLOCKS;
    int n = efc__feeder_threads(s->opts) ? BLOCKS : 1;
    for (int i = 0; i < n; i++) {
        efc_status st = efc_batch_create(&f->blocks[i].rows, s, UNIT_ROWS, &s->alloc, err);
        if (st)
            return st;
        if (efc_error_create(&f->blocks[i].error, &s->alloc) != EFC_OK)
            return efc__nomem(err);
        f->free_list[f->nfree++] = (size_t)i;
    }
    if (n == 1)
        return EFC_OK;
    efc_status st = efc_batch_create(&f->end.rows, s, 1, &s->alloc, err);
    if (st)
        return st;
    if (pthread_mutex_init(&f->lock, NULL) != 0)
        return efc__fail(err, EFC_ERR_NOMEM, "cannot create a lock for the reader thread");
    if (pthread_cond_init(&f->filled_cond, NULL) != 0) {
        pthread_mutex_destroy(&f->lock);
        return efc__fail(err, EFC_ERR_NOMEM, "cannot create the reader thread's conditions");
    }
    if (pthread_cond_init(&f->free_cond, NULL) != 0) {
        pthread_cond_destroy(&f->filled_cond);
        pthread_mutex_destroy(&f->lock);
        return efc__fail(err, EFC_ERR_NOMEM, "cannot create the reader thread's conditions");
    }
    s->threaded = 1; /* before the thread starts: it reads it */
    if (pthread_create(&f->thread, NULL, reader, s) != 0) {
        s->threaded = 0;
        pthread_cond_destroy(&f->free_cond);
        pthread_cond_destroy(&f->filled_cond);
        pthread_mutex_destroy(&f->lock);
        return efc__fail(err, EFC_ERR_NOMEM, "cannot start the reader thread");
    }
    f->threaded = 1;
    return EFC_OK;
}

efc_status efc__feeder_next(efc_survey *s, efc__unit **out, efc_error *err)
{
    efc__feeder *f = s->feed;
    (void)err;
    if (!f->threaded) {
        efc__produce(s, &f->blocks[0]);
        *out = &f->blocks[0];
        return EFC_OK;
    }
    pthread_mutex_lock(&f->lock);
    if (f->given != BLOCKS) { /* the consumer is done with the last block */
        f->free_list[f->nfree++] = f->given;
        pthread_cond_signal(&f->free_cond);
    }
    while (f->nfull == 0 && !f->done)
        pthread_cond_wait(&f->filled_cond, &f->lock);
    if (f->nfull == 0) { /* asked again after the last block: nothing more */
        f->given = BLOCKS;
        pthread_mutex_unlock(&f->lock);
        f->end.eof = 1;
        *out = &f->end;
        return EFC_OK;
    }
    size_t k = f->full[f->full_head];
    f->full_head = (f->full_head + 1) % BLOCKS;
    f->nfull--;
    f->given = k;
    pthread_mutex_unlock(&f->lock);
    *out = &f->blocks[k];
    return EFC_OK;
}

void efc__feeder_stop(efc_survey *s)
{
    efc__feeder *f = s->feed;
    if (!f)
        return;
    if (f->threaded) {
        pthread_mutex_lock(&f->lock);
        f->stop = 1;
        pthread_cond_broadcast(&f->free_cond);
        pthread_mutex_unlock(&f->lock);
        pthread_join(f->thread, NULL);
        pthread_cond_destroy(&f->free_cond);
        pthread_cond_destroy(&f->filled_cond);
        pthread_mutex_destroy(&f->lock);
    }
    for (int i = 0; i < BLOCKS; i++) {
        efc_batch_free(f->blocks[i].rows);
        efc_error_free(f->blocks[i].error);
    }
    efc_batch_free(f->end.rows);
    efc__free(&s->alloc, f);
    s->feed = NULL;
}
