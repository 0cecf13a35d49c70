from django.apps import AppConfig


class ShareableConfig(AppConfig):
    """A test-only room with one ShareableModel, so visibility rules are tested before real rooms exist."""

    name = "tests.shareable"
    label = "shareable"
