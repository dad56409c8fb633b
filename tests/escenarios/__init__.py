"""Las salidas de consola de cada capítulo: un módulo por capítulo, con sus escenarios."""
