# Independent base-R reference of COINr's ASEM pipeline, written from the method statement
# of examples/asem/README.md (COINr 0.6, build_ASEM()): denominate -> impute (group mean
# within Group_EurAsia) -> treat (winsorise, winmax 6, sample skew/kurtosis, log fallback)
# -> normalise (direction, min-max 0-100) -> aggregate (weighted arithmetic means up the
# tree) -> rank. No CRAN package is used and no COINr code is called.
#
# Run from the project root:  Rscript tests/data/asem/reference.R
# Reads examples/asem/{asem_data.csv,IndMeta.csv,AggMeta.csv}; writes the stage tables into
# tests/data/asem/. Stops with an error if a self-check fails.

dir_in  <- "examples/asem"
dir_out <- "tests/data/asem"

fails <- character(0)
check <- function(ok, what) {
  cat(if (ok) "ok  " else "FAIL", what, "\n")
  if (!ok) fails <<- c(fails, what)
}

## ---- input ---------------------------------------------------------------------------
ind <- read.csv(file.path(dir_in, "IndMeta.csv"), stringsAsFactors = FALSE,
                na.strings = c("NA", ""))
agg <- read.csv(file.path(dir_in, "AggMeta.csv"), stringsAsFactors = FALSE,
                na.strings = c("NA", ""))
hdr <- names(read.csv(file.path(dir_in, "asem_data.csv"), nrows = 1, check.names = FALSE))
num_cols <- hdr[-(1:7)]
# Missing cells: the data writes them "NA" (indicators) and empty (LAO's Den_Energy).
# R's read.csv converts decimals with correct rounding for every number of this file
# (checked against a correctly rounding parser: 2639 of 2639 values identical).
dat <- read.csv(file.path(dir_in, "asem_data.csv"), stringsAsFactors = FALSE,
                check.names = FALSE, na.strings = c("NA", ""),
                colClasses = c(rep("character", 7), rep("numeric", length(num_cols))))
codes <- ind$IndCode
stopifnot(nrow(dat) == 51, length(codes) == 49, all(codes %in% names(dat)),
          !anyDuplicated(dat$UnitCode), all(dat$Group_EurAsia %in% c("Europe", "Asia")))
check(sum(is.na(dat[, codes])) == 63, "63 missing raw indicator cells")

## ---- 1. denominate ---------------------------------------------------------------------
den <- as.matrix(dat[, codes])
for (j in seq_along(codes)) {
  d <- ind$Denominator[j]
  if (!is.na(d)) den[, j] <- den[, j] / dat[[d]]   # missing denominator -> missing cell
}
rownames(den) <- dat$UnitCode
check(sum(is.na(den)) == 65, "65 missing cells after denominating")
check(all(is.na(den["LAO", c("Elec", "Gas")])), "LAO Elec and Gas missing (no Den_Energy)")

## ---- 2. impute: mean of the observed values within Group_EurAsia -----------------------
imp <- den
grp <- dat$Group_EurAsia
for (j in seq_along(codes)) for (g in unique(grp)) {
  in_g <- grp == g
  miss <- in_g & is.na(den[, j])
  if (any(miss)) imp[miss, j] <- mean(den[in_g & !is.na(den[, j]), j])
}
check(sum(is.na(den) & !is.na(imp)) == 65 && !anyNA(imp), "65 cells imputed, none left")

## ---- 3. treat --------------------------------------------------------------------------
# Sample (bias-adjusted) skewness and excess kurtosis, as in the README
# (SAS / SPSS / e1071 type 2).
skew_kurt <- function(x) {
  n <- length(x)
  d <- x - mean(x)
  m2 <- sum(d^2); m3 <- sum(d^3); m4 <- sum(d^4)
  skew <- sqrt(n) * m3 / m2^(3 / 2) * sqrt(n * (n - 1)) / (n - 2)
  r <- n * m4 / m2^2
  kurt <- ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
  c(skew = skew, kurt = kurt)
}
needs_treatment <- function(sk) abs(sk[["skew"]]) > 2 && sk[["kurt"]] > 3.5

winmax <- ceiling(0.1 * nrow(dat))
stopifnot(winmax == 6)
trt <- imp
treatment <- data.frame(indicator = codes, low = 0L, high = 0L, transform = "none",
                        stringsAsFactors = FALSE)
iterations <- setNames(integer(length(codes)), codes)
for (j in seq_along(codes)) {
  x0 <- imp[, j]
  x <- x0
  sk <- skew_kurt(x)
  if (!needs_treatment(sk)) next
  it <- 0L
  while (needs_treatment(sk) && it < winmax) {
    if (sk[["skew"]] >= 0) {            # high side: the maximum down to the next value
      at <- x == max(x)
      x[at] <- max(x[!at])
    } else {                            # low side: the minimum up to the next value
      at <- x == min(x)
      x[at] <- min(x[!at])
    }
    it <- it + 1L
    sk <- skew_kurt(x)
  }
  iterations[j] <- it
  if (needs_treatment(sk)) {            # winsorising failed: log of the original column
    trt[, j] <- log(x0 - min(x0) + 0.01 * (max(x0) - min(x0)))
    treatment$transform[j] <- "log"
  } else {
    trt[, j] <- x
    treatment$transform[j] <- "winsorise"
    treatment$low[j]  <- sum(x > x0)    # points moved up (low side)
    treatment$high[j] <- sum(x < x0)    # points moved down (high side)
  }
}

# The README's outcome: 15 indicators winsorised, points per side.
readme_high <- c(Services = 4, FDI = 2, ForPort = 3, CostImpEx = 1, Tariff = 3, StMob = 2,
                 CultServ = 3, Flights = 1, Bord = 3, Gas = 3, Forest = 2, Poverty = 3,
                 NGOs = 3, PubDebt = 1)
readme_low <- c(FemLab = 1)
exp_low <- exp_high <- setNames(integer(length(codes)), codes)
exp_high[names(readme_high)] <- readme_high
exp_low[names(readme_low)] <- readme_low
exp_tr <- ifelse(codes %in% c(names(readme_high), names(readme_low)), "winsorise", "none")
cat("treated indicators (points moved low/high, iterations):\n")
for (j in which(treatment$transform != "none"))
  cat(sprintf("  %-10s %-9s low %d high %d  iterations %d\n", codes[j],
              treatment$transform[j], treatment$low[j], treatment$high[j], iterations[j]))
diff_j <- which(treatment$transform != exp_tr | treatment$low != exp_low |
                treatment$high != exp_high)
for (j in diff_j)
  cat(sprintf("  differs from README: %s: here %s low %d high %d; README %s low %d high %d\n",
              codes[j], treatment$transform[j], treatment$low[j], treatment$high[j],
              exp_tr[j], exp_low[j], exp_high[j]))
check(sum(treatment$transform == "winsorise") == 15 && !any(treatment$transform == "log"),
      "15 indicators winsorised, none log-transformed")
check(length(diff_j) == 0, "treated indicators and per-side points moved as in the README")

## ---- 4. normalise ----------------------------------------------------------------------
nrm <- trt
for (j in seq_along(codes)) {
  y <- trt[, j] * ind$Direction[j]
  nrm[, j] <- (y - min(y)) / (max(y) - min(y)) * 100
}
check(all(apply(nrm, 2, min) == 0) && all(apply(nrm, 2, max) == 100),
      "every indicator spans 0..100")

## ---- 5. aggregate ----------------------------------------------------------------------
wmean <- function(v, w) {               # weighted mean of the children present
  ok <- !is.na(v)
  if (!any(ok)) return(NA_real_)
  sum(v[ok] * w[ok]) / sum(w[ok])
}
level_of <- list(`2` = "Agg1", `3` = "Agg2", `4` = "Agg3")
scores <- nrm
weights <- setNames(ind$IndWeight, codes)
for (lev in c(2, 3, 4)) {
  groups <- agg$Code[agg$AgLevel == lev]
  # parent of each node of the level below
  parent <- if (lev == 2) setNames(ind$Agg1, codes) else {
    below <- agg$Code[agg$AgLevel == lev - 1]
    col <- level_of[[as.character(lev)]]
    setNames(ind[[col]][match(below, ind[[level_of[[as.character(lev - 1)]]]])], below)
  }
  for (g in groups) {
    kids <- names(parent)[parent == g]
    stopifnot(length(kids) > 0)
    val <- apply(scores[, kids, drop = FALSE], 1, wmean,
                 w = c(weights, setNames(agg$Weight, agg$Code))[kids])
    scores <- cbind(scores, val)
    colnames(scores)[ncol(scores)] <- g
  }
}
stopifnot(identical(colnames(scores), c(codes, agg$Code[agg$AgLevel == 2],
                                        agg$Code[agg$AgLevel == 3], "Index")))

## ---- 6. rank ---------------------------------------------------------------------------
index <- scores[, "Index"]
rk <- rank(-index, ties.method = "min")
ord <- order(rk, seq_along(rk))
ranks <- data.frame(UnitCode = dat$UnitCode[ord], Index = index[ord], rank = rk[ord],
                    stringsAsFactors = FALSE)
top <- data.frame(UnitCode = c("CHE", "NLD", "DNK", "NOR", "BEL", "SWE"),
                  Index = c("68.38", "64.82", "64.80", "64.47", "63.54", "63.00"))
cat("top 6:", paste(sprintf("%d %s %.2f", ranks$rank[1:6], ranks$UnitCode[1:6],
                            ranks$Index[1:6]), collapse = ", "), "\n")
check(identical(ranks$UnitCode[1:6], top$UnitCode) &&
      identical(sprintf("%.2f", ranks$Index[1:6]), top$Index) &&
      identical(as.numeric(ranks$rank[1:6]), as.numeric(1:6)),
      "published top 6 (CHE 68.38, NLD 64.82, DNK 64.80, NOR 64.47, BEL 63.54, SWE 63.00)")

## ---- output ----------------------------------------------------------------------------
fmt <- function(v) if (is.numeric(v)) ifelse(is.na(v), "", sprintf("%.17g", v)) else
  ifelse(is.na(v), "", as.character(v))
write_table <- function(df, name) {
  stopifnot(!any(grepl("[\",\r\n]", unlist(lapply(df, as.character)))), # no quoting needed
            !any(grepl("[\",\r\n]", names(df))))
  lines <- c(paste(names(df), collapse = ","),
             do.call(paste, c(lapply(df, fmt), sep = ",")))
  con <- file(file.path(dir_out, name), "wb")
  writeLines(lines, con, sep = "\n")
  close(con)
  cat("wrote", file.path(dir_out, name), "\n")
}
stage <- function(m) data.frame(UnitCode = dat$UnitCode, m, check.names = FALSE,
                                stringsAsFactors = FALSE, row.names = NULL)
if (length(fails) > 0) stop("self-checks failed: ", paste(fails, collapse = "; "))
write_table(stage(den), "denominated.csv")
write_table(stage(imp), "imputed.csv")
write_table(stage(trt), "treated.csv")
write_table(stage(nrm), "normalised.csv")
write_table(stage(scores), "aggregated.csv")
write_table(treatment, "treatment.csv")
write_table(ranks, "ranks.csv")
cat("all self-checks passed\n")
