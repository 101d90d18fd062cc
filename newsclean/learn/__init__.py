"""Small learned models whose weights ship as data files (``newsclean/data``).

Rules alone plateau where several weak signals must be weighed together
(is this short line a headline or an in-story subhead?).  The models here are
plain logistic regressions: a few named features, one weight each, trained by
``bench/train_heading_model.py`` on pages the project generates and on part
of the development corpus.  Every decision can be explained by listing the
features that pushed it most.
"""
