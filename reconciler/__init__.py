"""Keeps a stack's origin record sets equal to its cluster's Ready, uncordoned node addresses: a
watch on Nodes, and a targeted ``up`` through Pulumi's Automation API when the set changes.

``python -m reconciler --stack STACK``; see docs/reconciler.md.
"""
