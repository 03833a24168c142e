# Reference reliability figures for tests/data/bfi, computed once with R's
# psych alpha() (use = "pairwise", its default) and committed.
#   Rscript make_alpha_reference.R   (from this directory; needs r-cran-psych)
# Writes bfi-psych-alpha.csv: a row per scale (item empty), then a row per
# item. Item means and standard deviations are on psych's reversed 1-6
# scale; libefc gives them on the normalised 0-1 scale ((x - 1) / 5).
suppressMessages(library(psych))
data(bfi, package = "psych")
scales <- list(agree = "A", conscientious = "C", extraversion = "E", neuroticism = "N",
               openness = "O")
keys <- unlist(lapply(bfi.keys, function(k) sub("-", "", k[startsWith(k, "-")])))
rows <- list()
for (scale in names(scales)) {
  items <- paste0(scales[[scale]], 1:5)
  x <- bfi[, items]
  a <- alpha(x, keys = intersect(items, keys), warnings = FALSE)
  answered <- rowSums(!is.na(x))
  t <- a$total
  rows[[length(rows) + 1]] <- data.frame(
    scale = scale, item = "", n = sum(answered > 0), n_complete = sum(answered == 5),
    nsub = nrow(x), raw_alpha = t$raw_alpha, std_alpha = t$std.alpha, average_r = t$average_r,
    median_r = t$median_r, ase = t$ase, alpha_if_dropped = NA, std_alpha_if_dropped = NA,
    r_drop = NA, raw_r = NA, std_r = NA, mean = NA, sd = NA)
  for (i in seq_along(items)) {
    rows[[length(rows) + 1]] <- data.frame(
      scale = scale, item = items[i], n = a$item.stats$n[i], n_complete = NA, nsub = NA,
      raw_alpha = NA, std_alpha = NA, average_r = NA, median_r = NA, ase = NA,
      alpha_if_dropped = a$alpha.drop$raw_alpha[i], std_alpha_if_dropped = a$alpha.drop$std.alpha[i],
      r_drop = a$item.stats$r.drop[i], raw_r = a$item.stats$raw.r[i], std_r = a$item.stats$std.r[i],
      mean = a$item.stats$mean[i], sd = a$item.stats$sd[i])
  }
}
ref <- do.call(rbind, rows)
num <- sapply(ref, is.numeric)
ref[num] <- lapply(ref[num], function(v) ifelse(is.na(v), "", sprintf("%.17g", v)))
write.csv(ref, "bfi-psych-alpha.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("psych %s: %d scales\n", packageVersion("psych"), length(scales)))
