"""Hot-water shutoffs: the published schedule, its import and the questions residents ask of it."""
