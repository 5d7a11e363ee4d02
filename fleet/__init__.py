"""Preview or update many stacks of one Pulumi project in parallel, through Pulumi's Automation API.

``python -m fleet {preview|up} STACK...``; see docs/team.md.
"""
