from .applicants import ApplicantProfile, SatisfactionRating
from .catalogue import Field, FormField, Procedure, RequiredDocument
from .dossiers import Dossier, DossierEvent, DossierFile
from .notices import DeadlineWarning, DeadlineWarningKind
from .numbering import DossierCounter, DossierNumbering
from .outbox import OutboxEvent, OutboxState
from .payments import Payment, PaymentAccount, PaymentMethod, PaymentStatus
from .process import ProcessAction, ProcessStep
from .results import ResultDocument, ResultTemplate

__all__ = [
    "ApplicantProfile",
    "DeadlineWarning",
    "DeadlineWarningKind",
    "Dossier",
    "DossierCounter",
    "DossierEvent",
    "DossierFile",
    "DossierNumbering",
    "Field",
    "FormField",
    "OutboxEvent",
    "OutboxState",
    "Payment",
    "PaymentAccount",
    "PaymentMethod",
    "PaymentStatus",
    "Procedure",
    "ProcessAction",
    "ProcessStep",
    "RequiredDocument",
    "ResultDocument",
    "ResultTemplate",
    "SatisfactionRating",
]
