"""a.m.o.o.r. site generator: the public offer and private mission dossiers.

The core is framework-free (load → validate → compute → render → emit); MkDocs and
the ``amoor`` CLI are two thin front ends over it.
"""

__version__ = "0.1.0"
