"""The data wing: everything that makes data rather than serves it.

- `demo/`: the demo dataset on the real administrative units (`coso demo`);
- `scenarios/`: the seed articles' districts built from their figures (`coso scenario load NAME`,
  `coso scenario load --file PATH`, `coso scenario list`);
- `synth/`: the national-scale dataset for benchmarks (`coso synth --seed 1 [--scale 0.01]`);
- `bench/`: the benchmarks (`make bench`, `python -m coso.data.bench`; the Excel import's
  `python -m coso.data.bench.imports`);
- `sheets.py`: member lists as offices make them (the import benchmark's file, the import tests).

The wing may import any app; no production module imports the wing (the layering test in
coso/data/tests/test_layering.py fails when one does), so the product ships and runs without it
and a change here cannot break a page.
"""
