# Reference figures for tests/data/spi, computed once with R's psych
# scoreItems() on psychTools' spi and its overlapping keys, and committed.
#   Rscript make_reference.R   (from this directory; needs r-cran-psych and
#   r-cran-psychtools)
# Writes:
#   spi.csv              the first 500 rows of spi's 135 items, with about 2 %
#                        of the answers blanked (a fixed seed) so that missing
#                        answers are exercised; the survey the tests read
#   spi-codebook.csv     a libefc codebook: the 135 items on goalposts 1 and 6
#                        under one root
#   spi-keys.csv         psychTools' spi.keys (32 scales, 70 items in two of
#                        them) as a keys file: scale,item,sign
#   spi-psych-scores.csv scoreItems(spi.keys, items, impute = "none", min = 1,
#                        max = 6)$scores, a row per respondent
#   spi-psych-keys.csv   per scale: n_items, alpha, av_r, med_r, G6 and ase of
#                        that call
suppressMessages({library(psych); library(psychTools)})
data(spi, package = "psychTools")
items <- spi[1:500, 11:145]
set.seed(20)
blank <- matrix(runif(length(as.matrix(items))) < 0.02, nrow = nrow(items))
items[blank] <- NA
s <- scoreItems(spi.keys, items, totals = FALSE, impute = "none", min = 1, max = 6)
ids <- sprintf("r%03d", seq_len(nrow(items)))
write.csv(data.frame(id = ids, items, check.names = FALSE), "spi.csv", row.names = FALSE,
          na = "", quote = FALSE)
cb <- data.frame(id = c("spi", names(items)), parent = c("", rep("spi", ncol(items))),
                 label = "", weight = 1, min = c("", rep(1, ncol(items))),
                 max = c("", rep(6, ncol(items))), aggregate = c("mean", rep("", ncol(items))),
                 min_coverage = c("0", rep("", ncol(items))))
write.csv(cb, "spi-codebook.csv", row.names = FALSE, quote = FALSE)
keys <- do.call(rbind, lapply(names(spi.keys), function(k) {
  x <- spi.keys[[k]]
  data.frame(scale = k, item = sub("^-", "", x), sign = ifelse(startsWith(x, "-"), -1, 1))
}))
write.csv(keys, "spi-keys.csv", row.names = FALSE, quote = FALSE)
num <- function(v) ifelse(is.na(v), "", sprintf("%.17g", v))
sc <- data.frame(id = ids, apply(s$scores, 2, num), check.names = FALSE)
write.csv(sc, "spi-psych-scores.csv", row.names = FALSE, quote = FALSE)
ref <- data.frame(scale = names(spi.keys), n_items = num(as.vector(s$n.items)),
                  alpha = num(as.vector(s$alpha)), av_r = num(as.vector(s$av.r)),
                  med_r = num(as.vector(s$med.r)), G6 = num(as.vector(s$G6)),
                  ase = num(as.vector(s$ase)))
write.csv(ref, "spi-psych-keys.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("psych %s, psychTools %s: %d rows, %d items, %d scales, %d answers blanked\n",
            packageVersion("psych"), packageVersion("psychTools"), nrow(items), ncol(items),
            length(spi.keys), sum(blank)))
