"""Evaluation fees: a pool may charge the contributor that submitted a patent a fee for its
evaluation, invoiced through billing when the evaluation begins (its first evaluator is
assigned). The fee is the pool's own income: distribution runs and the programme's licensing
figures leave it out (docs/evaluation.md, "Fees")."""
