"""Groups of `patentpool` subcommands kept apart from `pool.cli` (which stays small and adds
them): `audit` (verify the trail against its checkpoints and outside copies, take a checkpoint,
rotate the audit key), `doctor` (the system pieces: CJK font, Pango, HarfBuzz, the
database and its migrations)."""
