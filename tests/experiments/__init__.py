"""Tests of `stsn_allennlp.experiments`, and the scores of runs that they share."""

# Four seeds' scores; seed_3 reports no per-type score, so only the metrics of every run summarise.
RUNS = {
    "seed_1": {"re_plus_f1_micro": 60.0, "ner_f1_micro": 88.0, "ner_Peop_f1": 90.0},
    "seed_2": {"re_plus_f1_micro": 64.0, "ner_f1_micro": 89.0, "ner_Peop_f1": 91.0},
    "seed_3": {"re_plus_f1_micro": 62.0, "ner_f1_micro": 87.0},
    "seed_4": {"re_plus_f1_micro": 64.0, "ner_f1_micro": 86.0, "ner_Peop_f1": 80.0},
}
