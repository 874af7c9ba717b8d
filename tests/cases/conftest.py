from tests.kb.test_pages import kb  # noqa: F401 (the knowledge base fixture, for the suggestions)
