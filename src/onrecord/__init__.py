"""onrecord: who said what, to whom or through which outlet, and when."""
