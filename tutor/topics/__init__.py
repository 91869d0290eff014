"""Topic modules, one per chapter of the course; importing one registers its kinds.

Every module in this package is imported, so adding a topic needs no edit here.
"""
import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")
