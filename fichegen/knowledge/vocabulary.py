"""The vocabulary the knowledge base may use: signal ids and the fields of reason templates.

It is the contract between the YAML of ``data/knowledge`` (validated against it when
loaded) and :mod:`fichegen.selection.signals` (which evaluates every signal named here
and fills exactly these fields).
"""

from __future__ import annotations

__all__ = ["COMMON_FIELDS", "SIGNAL_FIELDS"]

COMMON_FIELDS: frozenset[str] = frozenset(
    {"commune", "population", "base_population", "densite", "epci"}
)
"""Fields every reason template may use."""

_ACTORS = frozenset({"nombre", "noms"})
SIGNAL_FIELDS: dict[str, frozenset[str]] = {
    "aucune_place_eaje": frozenset({"enfants"}),
    "couverture_faible": frozenset(
        {"taux", "national", "annee_nationale", "quand_national", "source", "places", "enfants"}
    ),
    "couverture_elevee": frozenset(
        {"taux", "national", "annee_nationale", "quand_national", "source"}
    ),
    "demandes_en_attente": frozenset({"demandes"}),
    "local_disponible": frozenset({"surface_m2", "description", "domaine"}),
    "local_domaine_prive": frozenset({"surface_m2", "description"}),
    "assistants_sans_mam": frozenset({"assistants"}),
    "acteurs_ess_presents": _ACTORS,
    "centre_social_present": _ACTORS,
    "creche_ess_presente": _ACTORS,
    "parents_mobilises": _ACTORS,
    "ptce_present": _ACTORS,
    "aucun_acteur_ess": frozenset(),
    "contrats_non_pluriannuels": frozenset({"nombre", "acteurs"}),
    "contrats_mise_en_concurrence": frozenset({"nombre", "acteurs"}),
    "sans_ctg": frozenset(),
    "ctg_en_place": frozenset(),
    "schema_obligatoire": frozenset(),
    "schema_non_adopte": frozenset(),
    "planification_obligatoire": frozenset(),
    "competence_epci": frozenset(),
    "membre_epci": frozenset(),
    "metropole_lyon": frozenset(),
    "membre_ept": frozenset(),
    "conseils_arrondissement": frozenset({"ville"}),
    "commune_rurale": frozenset({"seuil"}),
    "petite_commune": frozenset({"seuil", "population_municipale"}),
    "grande_ville": frozenset({"seuil", "population_municipale"}),
    "creche_ess_connue": frozenset({"creche"}),
    "creches_ess_connues": frozenset({"nombre", "creches"}),
    "petite_commune_sans_creche_ess": frozenset({"seuil", "population_municipale"}),
    "commune_rurale_sans_creche_ess": frozenset({"seuil"}),
    "naissances_offre_inconnue": frozenset({"naissances"}),
    "natalite_elevee": frozenset({"naissances", "natalite", "natalite_ensemble"}),
    "tres_peu_enfants": frozenset({"constat"}),
    "population_en_hausse": frozenset({"evolution"}),
    "population_en_baisse": frozenset({"evolution"}),
}
"""Signal id -> the fields its reason templates may use (on top of COMMON_FIELDS)."""
