# Generate examples/asem/asem_codebook.csv, the libefc codebook of COINr's ASEM example,
# from COINr's metadata tables examples/asem/IndMeta.csv and examples/asem/AggMeta.csv.
# Base R only. Run from the project root:  Rscript tests/data/asem/make_codebook.R
#
# Rows: the root Index, the two sub-indices (parent Index), the 8 pillars (parent their
# sub-index, AggMeta order), then the 49 indicators (parent their pillar, IndMeta order).

ind <- read.csv("examples/asem/IndMeta.csv", stringsAsFactors = FALSE,
                na.strings = c("NA", ""))
agg <- read.csv("examples/asem/AggMeta.csv", stringsAsFactors = FALSE,
                na.strings = c("NA", ""))

stopifnot(nrow(ind) == 49, nrow(agg) == 11, !anyDuplicated(c(ind$IndCode, agg$Code)),
          all(ind$Direction %in% c(1, -1)))

# RFC 4180: quote a field holding a comma, a quote or a line break; double its quotes.
csv_field <- function(x) {
  x <- ifelse(is.na(x), "", as.character(x))
  q <- grepl("[\",\r\n]", x)
  x[q] <- paste0("\"", gsub("\"", "\"\"", x[q], fixed = TRUE), "\"")
  x
}
num <- function(w) {
  s <- sprintf("%.15g", w)
  stopifnot(as.numeric(s) == w)  # shortest exact form for these weights
  s
}

# parent of each aggregate, taken from IndMeta's Agg1 -> Agg2 -> Agg3 columns
parent_of <- c(setNames(ind$Agg2, ind$Agg1), setNames(ind$Agg3, ind$Agg2))
parent_of <- parent_of[!duplicated(names(parent_of))]

root <- agg[agg$AgLevel == 4, ]
subs <- agg[agg$AgLevel == 3, ]
pils <- agg[agg$AgLevel == 2, ]
stopifnot(nrow(root) == 1, root$Code == "Index", nrow(subs) == 2, nrow(pils) == 8,
          all(parent_of[subs$Code] == "Index"), all(pils$Code %in% ind$Agg1),
          all(ind$Agg1 %in% pils$Code))

group_rows <- function(g, parent) data.frame(
  id = g$Code, parent = parent, label = g$Name, weight = num(g$Weight),
  direction = "", denominator = "", impute = "", treat = "", normalise = "",
  aggregate = "mean", stringsAsFactors = FALSE)

out <- rbind(
  group_rows(root, ""),
  group_rows(subs, unname(parent_of[subs$Code])),
  group_rows(pils, unname(parent_of[pils$Code])),
  data.frame(
    id = ind$IndCode, parent = ind$Agg1, label = ind$IndName, weight = num(ind$IndWeight),
    direction = ifelse(ind$Direction == 1, "+", "-"),
    denominator = ifelse(is.na(ind$Denominator), "", ind$Denominator),
    impute = "group_mean:Group_EurAsia", treat = "winsorise:6:2:3.5",
    normalise = "minmax:0:100", aggregate = "", stringsAsFactors = FALSE))

stopifnot(nrow(out) == 60)
lines <- c(paste(names(out), collapse = ","),
           apply(sapply(out, csv_field), 1, paste, collapse = ","))
con <- file("examples/asem/asem_codebook.csv", "wb")  # LF line ends on every platform
writeLines(lines, con, sep = "\n")
close(con)
cat("wrote examples/asem/asem_codebook.csv:", nrow(out), "rows\n")
