//! Evaluation of an emotion detector on a labelled TSV file (placeholder: being written).
