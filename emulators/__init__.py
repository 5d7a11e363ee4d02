"""Local emulators of the vendor APIs this project talks to (Vultr DNS v2, Edgio Config API v1).

They are an independent reading of the contracts in the API notes: nothing here imports the
provider packages, which is what makes a test of a provider against an emulator worth something.
"""
