"""Count, for every commune of France, how surely the embedded figures settle each SPPE threshold.

Runs the same code as the fiches (``commune_facts`` then ``sppe_for``, reference data only,
no profile) and prints a Markdown table per threshold: duties settled as mandatory, settled
as not mandatory, and left to check; with the reasons the rule used (see docs/obligations.md).
It also prints the figures that support the margin: the share of the population comptée à
part in the population totale 2022 of the communes near a threshold.

    python scripts/count_sppe_certainty.py            # after `pip install .`
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter

from fichegen.inputs.profile import profile_from_dict
from fichegen.knowledge.base import load_knowledge
from fichegen.reference.lookup import load_reference
from fichegen.selection.builder import commune_facts
from fichegen.selection.obligations import PLANNING_THRESHOLD, SCHEMA_THRESHOLD, sppe_for
from fichegen.selection.thresholds import MARGIN

DUTY_OF = {PLANNING_THRESHOLD: "planifier", SCHEMA_THRESHOLD: "schema_pluriannuel"}


def main() -> int:
    reference = load_reference()
    kb = load_knowledge()
    classes: dict[int, Counter[str]] = {t: Counter() for t in DUTY_OF}
    provable: dict[int, list[str]] = {t: [] for t in DUTY_OF}
    straddling: dict[int, Counter[str]] = {t: Counter() for t in DUTY_OF}
    shares: dict[int, list[float]] = {t: [] for t in DUTY_OF}
    not_applicable = 0
    total = 0
    for departement, _ in reference.departements():
        for commune in reference.communes_of(departement):
            total += 1
            profile = profile_from_dict({"commune": {"code_insee": commune.code_insee}})
            facts = commune_facts(profile, reference)
            sppe = sppe_for(facts, profile, kb)
            if not sppe.applicable:
                not_applicable += 1
                continue
            duties = {o.id: o for o in sppe.obligations}
            pm, pt = commune.population_municipale, commune.population_totale
            before = facts.population_municipale_precedente
            for threshold, duty_id in DUTY_OF.items():
                duty = duties[duty_id]
                if not duty.certain:
                    cls = "à vérifier"
                elif duty.obligatoire:
                    cls = "obligatoire (certain)"
                else:
                    cls = "non obligatoire (certain)"
                classes[threshold][cls] += 1
                if pm is None or pt is None or commune.zone == "com":
                    continue
                if pt <= threshold < pm:
                    provable[threshold].append(f"{commune.nom} ({commune.code_insee})")
                if pm <= threshold < pt:
                    straddling[threshold][cls] += 1
                if before and 0.5 * threshold <= pt <= 1.5 * threshold:
                    shares[threshold].append(100 * (pt - before) / pt)
    print(
        f"Communes du référentiel : {total} ; collectivités sans règle vérifiée : "
        f"{not_applicable}.\n"
    )
    print(f"Marge retenue pour « certainement en dessous » : {MARGIN:.0%} du seuil.\n")
    print("| Seuil | Obligation | obligatoire (certain) | non obligatoire (certain) | à vérifier |")
    print("|---|---|---|---|---|")
    for threshold, duty_id in DUTY_OF.items():
        c = classes[threshold]
        print(
            f"| {threshold} | {duty_id} | {c['obligatoire (certain)']} | "
            f"{c['non obligatoire (certain)']} | {c['à vérifier']} |"
        )
    print()
    for threshold in DUTY_OF:
        found = provable[threshold]
        print(
            f"Seuil {threshold} : {len(found)} communes dont la population municipale 2023 "
            f"dépasse le seuil que leur population totale 2022 ne dépassait pas : "
            + ", ".join(found)
            + "."
        )
        print(
            f"Seuil {threshold} : communes à cheval (totale 2022 au-dessus, municipale 2023 "
            f"au plus au seuil) : {dict(straddling[threshold])}."
        )
        values = sorted(shares[threshold])
        if values:
            p99 = values[int(0.99 * (len(values) - 1))]
            print(
                f"Seuil {threshold} : part de la population comptée à part dans la population "
                f"totale 2022 des {len(values)} communes entre la moitié et une fois et demie "
                f"le seuil : médiane {statistics.median(values):.1f} %, 99e centile "
                f"{p99:.1f} %, maximum {values[-1]:.1f} %."
            )
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
