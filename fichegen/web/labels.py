"""French labels and units of the page's form, by profile field path.

The JSON Schema gives each field its type, limits and French help text; what it lacks
for a form is a short label and a unit. Paths are written without list indices
(``acteurs_ess.nom``). A field missing here falls back to the schema's title, and a test
checks that every field of the schema has a label.
"""

from __future__ import annotations

__all__ = ["CHOICES", "LABELS", "SECTION_TITLES", "UNITS"]

LABELS: dict[str, str] = {
    "commune.code_insee": "Code INSEE",
    "commune.nom": "Nom à afficher",
    "commune.population_municipale": "Population municipale",
    "commune.population_totale": "Population totale",
    "petite_enfance.enfants_moins_3_ans": "Enfants de moins de 3 ans",
    "petite_enfance.places_eaje": "Places en crèche ou multi-accueil (EAJE)",
    "petite_enfance.places_eaje_ess": "Dont places gérées par l’ESS",
    "petite_enfance.assistants_maternels": "Assistants maternels en activité",
    "petite_enfance.places_assistants_maternels": "Places chez les assistants maternels",
    "petite_enfance.mam": "Maisons d’assistants maternels (MAM)",
    "petite_enfance.demandes_en_attente": "Demandes d’accueil sans solution",
    "petite_enfance.taux_couverture": "Taux de couverture connu localement",
    "petite_enfance.relais_petite_enfance": "Relais petite enfance (RPE)",
    "petite_enfance.competence_transferee_epci": "Compétences exercées par l’intercommunalité",
    "petite_enfance.population_communes_transferees": (
        "Population des communes qui ont transféré la compétence"
    ),
    "acteurs_ess": "Acteurs locaux de l’ESS",
    "acteurs_ess.nom": "Nom de l’acteur",
    "acteurs_ess.type": "Catégorie",
    "acteurs_ess.places": "Places d’accueil du jeune enfant",
    "acteurs_ess.description": "Description",
    "patrimoine.locaux_disponibles": "Locaux disponibles",
    "patrimoine.locaux_disponibles.description": "Description du local",
    "patrimoine.locaux_disponibles.surface_m2": "Surface",
    "patrimoine.locaux_disponibles.domaine": "Domaine",
    "gouvernance.convention_territoriale_globale": "Convention territoriale globale signée",
    "gouvernance.schema_pluriannuel_adopte": "Schéma pluriannuel adopté",
    "gouvernance.contrats_ess": "Contrats et subventions avec l’ESS",
    "gouvernance.contrats_ess.acteur": "Acteur",
    "gouvernance.contrats_ess.mode": "Forme du lien",
    "gouvernance.contrats_ess.pluriannuel": "Engagement pluriannuel",
    "gouvernance.contrats_ess.montant_annuel_eur": "Montant annuel",
    "fiche.nombre_exemples": "Nombre d’exemples",
    "fiche.date": "Date imprimée sur la fiche",
    "fiche.auteur": "Auteur ou structure",
}

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
