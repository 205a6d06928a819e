"""Pure-Python extraction of tasks, deadlines and reporting duties from directive documents.

Imports nothing from Django, so `congvu extract` starts fast. Entry points: `extract_text`,
`extract_file` (api.py) and `congvu extract FILE --json` (cli.py). See docs/extraction.md.
"""

from .api import document_text, extract_file, extract_text
from .readers import ExtractionInputError
from .resolve import RegistryUnit, Resolution, Resolver

__all__ = [
    "ExtractionInputError",
    "RegistryUnit",
    "Resolution",
    "Resolver",
    "document_text",
    "extract_file",
    "extract_text",
]
