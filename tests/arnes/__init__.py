"""El arnés de pruebas del libro: Redis privado, procesos, salidas y normalizadores."""
