"""What the page's form adds to the profile's JSON Schema: units, choice names, sections.

The schema gives each field its French title (the form's label), type, limits and help
text; the form adds a unit after the label and a French name for each allowed value.
Paths are written without list indices (``acteurs_ess.nom``).
"""

from __future__ import annotations

__all__ = ["CHOICES", "SECTION_TITLES", "UNITS"]

UNITS: dict[str, str] = {
    "commune.population_municipale": "habitants",
    "commune.population_totale": "habitants",
    "petite_enfance.enfants_moins_3_ans": "enfants",
    "petite_enfance.places_eaje": "places",
    "petite_enfance.places_eaje_ess": "places",
    "petite_enfance.assistants_maternels": "personnes",
    "petite_enfance.places_assistants_maternels": "places",
    "petite_enfance.mam": "MAM",
    "petite_enfance.demandes_en_attente": "demandes",
    "petite_enfance.taux_couverture": "%",
    "petite_enfance.population_communes_transferees": "habitants",
    "acteurs_ess.places": "places",
    "patrimoine.locaux_disponibles.surface_m2": "m²",
    "gouvernance.contrats_ess.montant_annuel_eur": "€ par an",
    "fiche.nombre_exemples": "exemples",
}

SECTION_TITLES: dict[str, str] = {
    "commune": "La commune",
    "petite_enfance": "Petite enfance\u202f: vos chiffres",
    "acteurs_ess": "Acteurs locaux de l’ESS",
    "patrimoine": "Patrimoine communal",
    "gouvernance": "Gouvernance",
    "leviers": "Ordre des leviers",
    "fiche": "Réglages de la fiche",
}

CHOICES: dict[str, str] = {
    "centre_social": "Centre social",
    "espace_vie_sociale": "Espace de vie sociale",
    "creche_associative": "Crèche associative",
    "creche_parentale": "Crèche parentale",
    "creche_cooperative": "Crèche coopérative (SCIC, SCOP)",
    "mam": "Maison d’assistants maternels (MAM)",
    "association_parents": "Association de parents",
    "association_developpement_local": "Association de développement local",
    "ptce": "Pôle territorial de coopération économique (PTCE)",
    "autre": "Autre",
    "prive": "Domaine privé de la commune",
    "public": "Domaine public de la commune",
    "subvention": "Subvention",
    "marche_public": "Marché public",
    "dsp": "Délégation de service public",
    "convention_pluriannuelle": "Convention pluriannuelle",
}
