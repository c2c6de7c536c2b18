"""Xinyong: a public credit information and joint reward/punishment platform."""

__version__ = "0.1.0"
