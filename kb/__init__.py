"""The knowledge base's rules: document control, change control, review policy, versions, audiences.

Plain Python that knows nothing of MkDocs, shared by the MkDocs hooks, the `kb` CLI and the tests.
"""
