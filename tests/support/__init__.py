"""What the tests and the benchmarks run against: throwaway daemons and sample applications.

Kept out of the product packages so that none of it ships in the wheel, and so that nothing a
kiosk runs can start a test daemon.
"""
