# The pipeline of bench/run-index.sh written in base R the way COINr runs it
# (COINr 0.6 is not packaged for Debian, and no CRAN package is used; its
# method as tests/data/asem/reference.R states it): denominate, impute each
# missing cell by its region's mean (COINr's i_mean_grp), winsorise with the
# skewness and kurtosis recomputed at each iteration (COINr's Winsorize,
# winmax 10 %, the log fallback), min-max onto 0..100 after the direction,
# means of the groups. Reads the data of index_data.py, prints the time of
# the pipeline, and writes the root for the comparison.
# usage: Rscript bench/index_r.R CODEBOOK DATA N ROOT_OUT
args <- commandArgs(trailingOnly = TRUE)
book <- args[1]; data <- args[2]; n <- as.integer(args[3]); out <- args[4]
cb <- read.csv(book, stringsAsFactors = FALSE, na.strings = character(0))
leaves <- cb[cb$normalise != "", ]
con <- file(data, "rb")
v <- readBin(con, "double", n = 53 * n, size = 8, endian = "little")
close(con)
col <- function(k) v[(k * n + 1):((k + 1) * n)]
region <- col(1); pop <- col(2)
x_of <- function(j) col(2 + j)

skew_kurt <- function(x) {  # sample (type 2) definitions, as libefc and pandas
  nn <- length(x)
  d <- x - mean(x)
  m2 <- sum(d^2); m3 <- sum(d^3); m4 <- sum(d^4)
  c(sqrt(nn) * m3 / m2^1.5 * sqrt(nn * (nn - 1)) / (nn - 2),
    ((nn + 1) * (nn * m4 / m2^2 - 3) + 6) * (nn - 1) / ((nn - 2) * (nn - 3)))
}
need <- function(sk) abs(sk[1]) > 2 && sk[2] > 3.5

t0 <- proc.time()[["elapsed"]]
norm <- matrix(NA_real_, n, nrow(leaves))
for (j in seq_len(nrow(leaves))) {
  leaf <- leaves[j, ]
  x <- x_of(as.integer(sub("x", "", leaf$id)))
  if (leaf$denominator != "")
    x <- x / pop * as.numeric(sub(".*:", "", leaf$denominator))
  miss <- is.na(x)
  means <- tapply(x[!miss], region[!miss], mean)
  x[miss] <- means[as.character(region[miss])]
  x0 <- x
  sk <- skew_kurt(x)
  it <- 0
  most <- ceiling(0.1 * length(x) - 1e-9)
  while (need(sk) && it < most) {
    if (sk[1] >= 0) { top <- max(x); at <- x == top; x[at] <- max(x[!at]) }
    else { low <- min(x); at <- x == low; x[at] <- min(x[!at]) }
    it <- it + 1
    sk <- skew_kurt(x)
  }
  if (need(sk)) x <- log(x0 - min(x0) + 0.01 * (max(x0) - min(x0)))
  y <- x * (if (leaf$direction == "-") -1 else 1)
  norm[, j] <- (y - min(y)) / (max(y) - min(y)) * 100
}
groups <- sapply(c("g0", "g1", "g2", "g3", "g4"),
                 function(g) rowMeans(norm[, leaves$parent == g, drop = FALSE]))
root <- rowMeans(groups)
t1 <- proc.time()[["elapsed"]]
con <- file(out, "wb")
writeBin(root, con, size = 8, endian = "little")
close(con)
cat(sprintf("pipeline %.3f s\n", t1 - t0))
