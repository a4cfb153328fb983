"""Concepts every layer shares, each written once: the leaf of the import graph.

`common` imports nothing of the project (forms, drivers, printouts and kiosk may all import it),
so a rule that must read the same at the kiosk, on paper and at the desk lives here: the
12-digit number's check digit and detector, Japan's time zone, the bilingual error base.
"""
