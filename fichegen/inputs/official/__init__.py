"""Official open-data files given with ``--donnees``: the Cnaf's data.caf.fr exports and Insee's
populations de référence and census files, recognised by their header row.

Takes a file path (CSV, or Insee's ``ensemble.zip``); gives :class:`OfficialData` (figures
per commune and per EPCI, each with its publisher, dataset, year and file) that
:mod:`fichegen.inputs.official.apply` lays over a profile under the profile's and the
user spreadsheet's own figures. ``detect`` says which dataset a header belongs to,
``caf`` and ``insee`` read each family, ``types`` holds the results.
"""

from fichegen.inputs.official.types import (
    CafRate,
    OfficialData,
    OfficialSource,
)

__all__ = ["CafRate", "OfficialData", "OfficialSource"]
