"""Pure computations on validated models: price, stakeholder map, R.O.I. citoyen."""
