"""Pure scoring of index frameworks: no Django import.

- `tree`: framework dataclasses, YAML/dict load and dump, validation (errors name the node code);
- `formulas`: leaf points from a rate (shapes as data) or from given points;
- `rollup`: node scores up the tree, "no data" propagation, bands;
- `ranking`: competition ranking with ties ("10/19");
- `periods`: "2023", "2023-Q2", "2023-06" → date ranges.
"""
