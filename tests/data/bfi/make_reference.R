# Reference scale scores for tests/data/bfi, computed once with R's psych
# (the reference implementation for scoring Likert scales) and committed.
#   Rscript make_reference.R   (from this directory; needs r-cran-psych)
# Writes bfi.csv (the survey) and bfi-psych-scores.csv (the reference).
suppressMessages(library(psych))
data(bfi, package = "psych")
items <- bfi[, 1:25]
scores <- scoreItems(bfi.keys, items, totals = FALSE, impute = "none", min = 1, max = 6)$scores
survey <- data.frame(id = rownames(bfi), bfi, check.names = FALSE)
write.csv(survey, "bfi.csv", row.names = FALSE, na = "", quote = FALSE)
ref <- data.frame(id = rownames(bfi), scores, check.names = FALSE)
write.csv(format(ref, digits = 17), "bfi-psych-scores.csv", row.names = FALSE, na = "",
          quote = FALSE)
cat(sprintf("psych %s: %d respondents, %d scales\n", packageVersion("psych"), nrow(ref),
            ncol(scores)))
