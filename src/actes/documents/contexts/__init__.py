"""Per-procedure-family parts of the document context (see :mod:`actes.documents.render`).

``common`` formats parties, addresses and events; each other module builds the block one family
of templates reads (``declaration``, ``surendettement``, ``plan``, ``ipe``).
"""
