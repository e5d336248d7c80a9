from .applicants import ApplicantProfile, SatisfactionRating
from .catalogue import Field, FormField, Procedure, RequiredDocument
from .dossiers import Dossier, DossierEvent, DossierFile
from .numbering import DossierCounter, DossierNumbering
from .process import ProcessAction, ProcessStep

__all__ = [
    "ApplicantProfile",
    "Dossier",
    "DossierCounter",
    "DossierEvent",
    "DossierFile",
    "DossierNumbering",
    "Field",
    "FormField",
    "Procedure",
    "ProcessAction",
    "ProcessStep",
    "RequiredDocument",
    "SatisfactionRating",
]
