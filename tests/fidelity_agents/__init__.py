"""Framework agents of the preset fidelity tests (tests/test_fidelity_*.py).

Each module builds an agent on a real framework with its own compaction, configured from
environment variables the test sets (the python adapter runs the agent in a process of its
own, so the test cannot pass objects), and speaking the conversation of ``tests.fidelity``.
"""
