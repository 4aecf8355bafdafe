"""Dev-only fictional demo data: `manage.py seed_demo`, its generators and phrase data.

Installed by the dev and test settings only; nothing outside this package imports it.
"""
