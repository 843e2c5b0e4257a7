"""Download of the official open-data files (``fichegen donnees-ouvertes``).

Takes a choice of départements (or the whole country) and a folder; gives the Cnaf exports
of data.caf.fr and Insee's zips in that folder, with a manifest of what was fetched. It only
downloads: reading these files belongs to :mod:`fichegen.inputs`. An acquisition step of the
interfaces, ranked with ``batch`` (it uses the embedded reference to filter by département).
Modules: ``sources`` (which files, from which addresses), ``fetch`` (HTTP, resume, manifest),
``meter`` (the French progress display).
"""
