#!/usr/bin/env python3
"""OpenFisca peer for `skills-ledger entitlements`: the national skill-upgrade subsidy (技能提升补贴) computed
vectorised over N in-memory persons, as OpenFisca would hold a month's cases.

Usage: python3 openfisca_skill_upgrade.py N [--seed S]

The rule (Samples/policies/national-skill-upgrade.yaml): a certificate at junior / intermediate / senior pays
1,000 / 1,500 / 2,000 yuan if the worker's unemployment insurance began at least 12 months before the
certificate's month. Level amounts and the 12 months are OpenFisca parameters; the certificate's level and the
month insurance began are inputs. The history-wide limits of our pack (once per occupation and level, no lower level
after a higher one, 3 a year) are not modelled: OpenFisca has no event history, so this is the cheaper half of the
work. Adapted from shared/peers/openfisca_example.py.
"""
import resource
import sys
import time

import numpy as np

t0 = time.perf_counter()
from openfisca_core.model_api import select  # noqa: E402
from openfisca_core.parameters import ParameterNode  # noqa: E402
from openfisca_core.periods import MONTH  # noqa: E402
from openfisca_core.simulation_builder import SimulationBuilder  # noqa: E402
from openfisca_core.variables import Variable  # noqa: E402
from openfisca_country_template import CountryTaxBenefitSystem  # noqa: E402
from openfisca_country_template.entities import Person  # noqa: E402


class certificate_level(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Certificate obtained this month: 0 none, 1 junior, 2 intermediate, 3 senior, 4+ technician levels"


class insured_since_month(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Month unemployment insurance began, as year * 12 + month - 1"


class skill_upgrade_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "技能提升补贴 (national skill-upgrade subsidy)"

    def formula_2019_01(person, period, parameters):
        p = parameters(period).skill_upgrade
        level = person("certificate_level", period)
        insured = person("insured_since_month", period)
        this_month = period.start.year * 12 + period.start.month - 1
        eligible = (this_month - insured) >= p.min_insured_months
        amount = select([level == 1, level == 2, level == 3], [p.amount.junior, p.amount.intermediate, p.amount.senior], 0)
        return eligible * amount


tbs = CountryTaxBenefitSystem()
tbs.add_variable(certificate_level)
tbs.add_variable(insured_since_month)
tbs.add_variable(skill_upgrade_subsidy)
tbs.parameters.add_child("skill_upgrade", ParameterNode("skill_upgrade", data={
    "min_insured_months": {"values": {"2019-01-01": 12}},
    "amount": {
        "junior": {"values": {"2019-01-01": 1000}},
        "intermediate": {"values": {"2019-01-01": 1500}},
        "senior": {"values": {"2019-01-01": 2000}},
    },
}))
t_load = time.perf_counter() - t0

N = int(sys.argv[1])
seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 42
rng = np.random.default_rng(seed)
period = "2026-06"

t1 = time.perf_counter()
sim = SimulationBuilder().build_default_simulation(tbs, N)
# About the generated province's shares: most workers have no certificate this month; levels junior…senior and a
# few technician levels; insurance from 2008 to 2026 for most.
sim.set_input("certificate_level", period, rng.choice(6, N, p=[0.9, 0.03, 0.03, 0.02, 0.01, 0.01]))
sim.set_input("insured_since_month", period, rng.integers(2008 * 12, 2026 * 12 + 6, N))
t_input = time.perf_counter() - t1

t2 = time.perf_counter()
subsidy = sim.calculate("skill_upgrade_subsidy", period)
t_calc = time.perf_counter() - t2

rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"N={N} load_tbs={t_load:.3f}s inputs={t_input:.3f}s calculate={t_calc:.3f}s "
      f"paid={int((subsidy > 0).sum())} total={subsidy.sum():.0f} maxrss={rss_mb:.0f}MB")
