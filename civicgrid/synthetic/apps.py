from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "civicgrid.synthetic"
    label = "synthetic"
