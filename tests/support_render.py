"""A realistic sample Document built by hand, shared by the renderer tests (HTML, PDF, DOCX).

Facts (places, amounts, years, places names) come from the source fiche n°15; coordinates
are approximate centroids; the sentences are written for these tests. Distances are
computed here from the coordinates, never typed in.
"""

from __future__ import annotations

import math

from fichegen.document.model import (
    BulletList,
    Callout,
    Document,
    ExampleCard,
    KeyFigure,
    KeyFigures,
    LegendItem,
    MapFigure,
    MapFrame,
    MapPoint,
    Paragraph,
    Run,
    Section,
    Table,
    inline,
)

__all__ = [
    "LEVER_TITLES",
    "PDF_ENGINES",
    "SECTION_TITLES",
    "distance_km",
    "engine_pdf",
    "sample_document",
    "sample_map_figure",
]

# A coarse outline of metropolitan France (lon, lat), enough to place points on.
FRANCE_OUTLINE: tuple[tuple[float, float], ...] = (
    (2.55, 51.09),
    (4.15, 49.98),
    (5.82, 49.55),
    (8.23, 48.97),
    (7.59, 47.58),
    (6.84, 47.45),
    (5.97, 46.21),
    (7.04, 45.93),
    (6.63, 45.11),
    (7.02, 44.23),
    (7.53, 43.79),
    (6.17, 43.05),
    (4.65, 43.35),
    (3.08, 43.07),
    (3.17, 42.43),
    (1.73, 42.50),
    (-0.32, 42.84),
    (-1.78, 43.37),
    (-1.25, 44.66),
    (-1.12, 46.00),
    (-2.15, 47.13),
    (-4.35, 47.80),
    (-4.77, 48.40),
    (-3.00, 48.83),
    (-1.60, 48.64),
    (-1.94, 49.72),
    (-1.26, 49.69),
    (0.10, 49.46),
    (1.38, 50.06),
    (1.61, 50.87),
    (2.55, 51.09),
)
# A coarse outline of the Nord département, highlighted on the map.
NORD_OUTLINE: tuple[tuple[float, float], ...] = (
    (2.07, 51.01),
    (2.55, 51.09),
    (3.15, 50.78),
    (3.61, 50.50),
    (4.23, 50.35),
    (4.14, 49.98),
    (3.52, 50.03),
    (3.09, 50.31),
    (2.79, 50.66),
    (2.07, 51.01),
)
REUNION_OUTLINE: tuple[tuple[float, float], ...] = (
    (55.22, -21.03),
    (55.45, -20.87),
    (55.68, -20.93),
    (55.84, -21.16),
    (55.80, -21.34),
    (55.64, -21.39),
    (55.45, -21.35),
    (55.29, -21.22),
    (55.22, -21.03),
)

ANSTAING = (3.19, 50.60)
PLACES: dict[str, tuple[float, float]] = {
    "Lille": (3.06, 50.63),
    "Villeurbanne": (4.88, 45.77),
    "Caylus": (1.77, 44.24),
    "Les Pavillons-sous-Bois": (2.50, 48.91),
    "Nancy": (6.18, 48.69),
}

SECTION_TITLES: tuple[str, ...] = (
    "Votre territoire en bref",
    "Vos obligations au titre du service public de la petite enfance",
    "Cinq leviers, dans l'ordre qui convient à Anstaing",
    "Carte des exemples retenus",
    "Pour aller plus loin",
    "Sources et méthode",
)
LEVER_TITLES: tuple[str, ...] = (
    "Créer ou faire émerger des structures de l'ESS",
    "Ouvrir l'accès à des locaux",
    "Appuyer l'engagement des parents et des bénévoles",
    "Coopérer et construire les politiques avec les acteurs",
    "Choisir une contractualisation adaptée",
)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lon, lat) points, in km."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _km(place: str) -> str:
    return f"à {round(distance_km(ANSTAING, PLACES[place]))}\u202fkm"


def sample_map_figure(*, overseas: bool = False) -> MapFigure:
    """The map of the sample fiche; ``overseas`` adds a second frame (La Réunion)."""
    points = [MapPoint("Anstaing", *ANSTAING, role="commune", detail="votre commune")]
    for number, place in enumerate(("Lille", "Villeurbanne", "Caylus", "Nancy"), start=1):
        points.append(
            MapPoint(f"{number}. {place}", *PLACES[place], role="exemple", detail=_km(place))
        )
    frames = [
        MapFrame(
            title="France métropolitaine",
            outlines=(FRANCE_OUTLINE,),
            highlighted=(NORD_OUTLINE,),
            points=tuple(points),
            bbox=(-5.2, 42.3, 8.3, 51.2),
        )
    ]
    if overseas:
        frames.append(
            MapFrame(
                title="La Réunion",
                outlines=(REUNION_OUTLINE,),
                highlighted=(),
                points=(MapPoint("Saint-Denis", 55.45, -20.88, role="exemple"),),
                bbox=(55.1, -21.45, 55.95, -20.8),
                scale=0.5,
            )
        )
    return MapFigure(
        frames=tuple(frames),
        legend=(
            LegendItem("commune", "Anstaing, votre commune"),
            LegendItem("exemple", "Exemple retenu (numéro de la fiche)"),
            LegendItem("highlighted", "Département du Nord"),
        ),
        alt_text=(
            "Carte de la France métropolitaine situant Anstaing dans le Nord et les "
            "quatre exemples retenus : Lille (" + _km("Lille") + "), Villeurbanne, "
            "Caylus et Nancy."
        ),
        caption="Anstaing et les exemples retenus ; distances à vol d'oiseau.",
    )


def _lever(
    rank: int, title: str, reasons: list[str], actions: list[str], *cards: ExampleCard
) -> Section:
    return Section(
        id=f"levier-{rank}",
        title=f"{rank}. {title}",
        level=2,
        blocks=(
            Callout(
                title="Pourquoi pour votre commune",
                tone="reasons",
                blocks=(BulletList(tuple(inline(r) for r in reasons), style="reasons"),),
            ),
            Paragraph(inline(Run("Ce que la commune peut faire", strong=True))),
            BulletList(tuple(inline(a) for a in actions), style="actions"),
            *cards,
        ),
    )


def sample_document(
    *, free_text: str = "Centre social Le Lien", overseas: bool = False
) -> Document:
    """A complete fiche for Anstaing (59); ``free_text`` lands where profile text goes."""
    territory = Section(
        id="territoire",
        title=SECTION_TITLES[0],
        level=1,
        blocks=(
            KeyFigures(
                (
                    KeyFigure("Population totale", "1\u202f600", "source : fiche n°\u00a015"),
                    KeyFigure("Enfants de moins de 3 ans", "55", "selon votre profil"),
                    KeyFigure("Places en crèche", "0", "pour 100 enfants de moins de 3 ans"),
                    KeyFigure("Demandes en attente", "à compléter", None, missing=True),
                )
            ),
            Table(
                columns=("Indicateur", "Valeur", "Origine"),
                rows=(
                    (inline("Département"), inline("Nord (59)"), inline("référence")),
                    (inline("EPCI"), inline("Métropole Européenne de Lille"), inline("référence")),
                    (inline("Assistants maternels"), inline("12"), inline("profil")),
                    (
                        inline("Maisons d'assistants maternels"),
                        (Run("à compléter", missing=True),),
                        inline("—"),
                    ),
                ),
                caption="Chiffres de la commune",
            ),
            Paragraph(
                inline(
                    "Acteurs de l'ESS cités par votre profil : ",
                    Run(free_text, strong=True),
                    ". Nombre de places en MAM : ",
                    Run("à compléter", missing=True),
                    ".",
                )
            ),
            Paragraph(
                inline(
                    "Les données ouvertes de la Caf ne couvrent que les communes de plus de "
                    "10\u202f000 habitants : indiquez vos chiffres locaux dans le profil."
                ),
                style="note",
            ),
        ),
    )
    obligations = Section(
        id="obligations",
        title=SECTION_TITLES[1],
        level=1,
        blocks=(
            Paragraph(
                inline(
                    "Depuis le 1er janvier 2025, la commune est autorité organisatrice de "
                    "l'accueil du jeune enfant. Avec 1\u202f600 habitants, Anstaing exerce "
                    "deux des compétences prévues."
                ),
                style="lead",
            ),
            Callout(
                title="Article L214-1-3 du code de l'action sociale et des familles",
                tone="law",
                blocks=(
                    BulletList(
                        (
                            inline(
                                Run("Recenser", strong=True),
                                " les besoins et l'offre d'accueil (1°) : obligatoire.",
                            ),
                            inline(
                                Run("Informer et accompagner", strong=True),
                                " les familles (2°) : obligatoire.",
                            ),
                            inline(
                                Run("Planifier", strong=True),
                                " l'offre (3°) : au-delà de 3\u202f500 habitants seulement.",
                            ),
                            inline(
                                Run("Soutenir la qualité", strong=True),
                                " (4°) : au-delà de 3\u202f500 habitants seulement.",
                            ),
                        ),
                        style="bullet",
                    ),
                ),
            ),
            Callout(
                title="À vérifier",
                tone="warning",
                blocks=(
                    Paragraph(
                        inline(
                            "Si l'EPCI exerce ces compétences, les seuils se calculent sur "
                            "la population des communes qui les lui ont transférées."
                        )
                    ),
                ),
            ),
        ),
    )
    lille = ExampleCard(
        title="La crèche coopérative Méli-Mélo",
        place="Lille (59)",
        why_chosen=(_km("Lille"), "dans la même métropole"),
        facts=(
            "Structure gérée par une SCIC, installée depuis 2015.",
            "Aide au démarrage de 15\u202f000\u202f€ de la Ville et autant de la MEL.",
            "La Ville finance 10 places pour des ménages lillois.",
        ),
        levers=("Créer", "Contractualiser"),
        distance=_km("Lille"),
    )
    caylus = ExampleCard(
        title="Histoire de Bulles, micro-crèche rurale",
        place="Caylus (82)",
        why_chosen=("commune rurale de taille comparable",),
        facts=(
            "Dix places, ouverture en 2009.",
            "Local mis à disposition et restauré par la mairie.",
        ),
        levers=("Locaux",),
        distance=_km("Caylus"),
    )
    villeurbanne = ExampleCard(
        title="Un pôle petite enfance et parentalité",
        place="Villeurbanne (69)",
        why_chosen=("projet coconstruit avec les acteurs",),
        facts=(
            "Pôle de 870\u202fm², ouvert au premier trimestre 2021.",
            "Quatre acteurs de statuts différents.",
        ),
        levers=("Engagement",),
        distance=_km("Villeurbanne"),
    )
    nancy = ExampleCard(
        title="Mise en réseau des crèches",
        place="Nancy (54)",
        why_chosen=("ville qui associe crèches municipales et associatives",),
        facts=("Mission qualité partagée entre crèches en régie et associatives.",),
        levers=("Coopération",),
        distance=_km("Nancy"),
    )
    levers = Section(
        id="leviers",
        title=SECTION_TITLES[2],
        level=1,
        blocks=(
            Paragraph(
                inline(
                    "Les leviers sont classés selon votre profil : vos priorités d'abord, "
                    "puis ceux que vos chiffres rendent les plus utiles."
                ),
                style="lead",
            ),
            _lever(
                1,
                LEVER_TITLES[0],
                [
                    "Aucune place en crèche pour 55 enfants de moins de 3 ans.",
                    "Vous avez placé ce levier parmi vos priorités.",
                ],
                [
                    "Confier une étude de faisabilité à une chargée de mission.",
                    "Réunir les familles intéressées et visiter des crèches associatives.",
                    "Répondre à l'appel à projets ESS de la métropole.",
                ],
                lille,
            ),
            _lever(
                2,
                LEVER_TITLES[1],
                ["Votre profil signale une ancienne école de 200\u202fm² dans le domaine privé."],
                [
                    "Lancer un appel à projets pour un local du domaine privé.",
                    "Financer l'aménagement par une subvention d'investissement.",
                ],
                caylus,
            ),
            _lever(
                3,
                LEVER_TITLES[2],
                ["Un centre social est présent sur la commune."],
                ["Reconnaître les collectifs de parents comme interlocuteurs."],
                villeurbanne,
            ),
            _lever(
                4,
                LEVER_TITLES[3],
                ["Une convention territoriale globale est signée avec la Caf."],
                ["Associer les acteurs de l'ESS à la convention territoriale globale."],
                nancy,
            ),
            _lever(
                5,
                LEVER_TITLES[4],
                ["Un contrat avec un acteur de l'ESS est annuel : il peut devenir pluriannuel."],
                ["Préférer la subvention pluriannuelle avec des indicateurs définis ensemble."],
            ),
        ),
    )
    map_section = Section(
        id="carte", title=SECTION_TITLES[3], level=1, blocks=(sample_map_figure(overseas=overseas),)
    )
    resources = Section(
        id="ressources",
        title=SECTION_TITLES[4],
        level=1,
        blocks=(
            BulletList(
                (
                    inline("RTES, repères sur la contractualisation en petite enfance, 2026."),
                    inline("Fiche Déniché pour vous n°118 : Le PôPE, RTES, 2023."),
                ),
            ),
        ),
    )
    sources = Section(
        id="sources",
        title=SECTION_TITLES[5],
        level=1,
        blocks=(
            Table(
                columns=("Donnée", "Source", "Millésime", "Licence"),
                rows=(
                    (
                        inline("Communes"),
                        inline("Découpage administratif"),
                        inline("2026"),
                        inline("Licence Ouverte"),
                    ),
                    (
                        inline("Petite enfance"),
                        inline("Profil de la commune"),
                        inline("—"),
                        inline("—"),
                    ),
                ),
            ),
            Paragraph(inline("Document produit par fichegen 0.1.0."), style="source"),
        ),
    )
    return Document(
        title="Fiche n°\u00a015 — Anstaing",
        theme="Économie sociale et solidaire, petite enfance & famille",
        fiche_number="15",
        commune_name="Anstaing",
        commune_code="59013",
        departement_label="Nord (59)",
        date_text="26 novembre 2026",
        date_iso="2026-11-26",
        sections=(territory, obligations, levers, map_section, resources, sources),
        author="fichegen",
        subject="Fiche n°\u00a015 du kit municipal adaptée à Anstaing",
        keywords=("ESS", "petite enfance", "Anstaing"),
        generator="fichegen 0.1.0",
        header_text="Fiche n°\u00a015 · Anstaing",
        footer_text="Préparée par l’équipe de test",
    )


#: The PDF engines (``--moteur``) that the layout, text and accessibility tests run on:
#: one table, so each check holds for both.
PDF_ENGINES: tuple[str, ...] = ("weasyprint", "typst")


def engine_pdf(doc: Document, engine: str, variant: str | None = None) -> bytes:
    """The PDF of ``doc`` made by ``engine``, through the renderers' own dispatch."""
    from fichegen.options import RenderOptions
    from fichegen.renderers.output import document_bytes

    options = RenderOptions(formats=("pdf",), pdf_variant=variant, engine=engine)
    return document_bytes(doc, "pdf", options)
