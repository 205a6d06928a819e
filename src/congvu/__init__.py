"""congvu: the reform and performance work of Vietnamese local government."""

__version__ = "0.1.0"
