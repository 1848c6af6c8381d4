"""Kinerja: Perjanjian Kinerja, realisasi and capaian for Indonesian government offices."""

__version__ = "0.1.0"
