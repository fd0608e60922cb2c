"""Site: the generated folder, navigation, redirects, incremental regeneration, the build."""
