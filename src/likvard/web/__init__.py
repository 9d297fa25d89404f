"""The web shell: base templates, navigation, start page per role, sign-in and error pages."""
