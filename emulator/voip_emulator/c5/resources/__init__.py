"""One small class per C5 REST resource, on the framework in ``base.py``."""
