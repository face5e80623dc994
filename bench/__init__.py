"""STSN's benchmarks: run each script from the repository root as `python -m bench.<script>` (see
`bench/README.md`)."""
