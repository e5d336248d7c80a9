from .catalogue import CategoryCombo, CategoryOption, DataElement, Indicator
from .indices import IndexComponent, IndexFramework, IndexInput, IndexItem, IndexPillar, IndexSubject
from .reporting import ReportForm, ReportFormElement, ReportingRound, Submission, ValidationRule
from .targets import Target
from .values import DataValue, DataValueAudit

__all__ = [
    "CategoryCombo",
    "CategoryOption",
    "DataElement",
    "DataValue",
    "DataValueAudit",
    "IndexComponent",
    "IndexFramework",
    "IndexInput",
    "IndexItem",
    "IndexPillar",
    "IndexSubject",
    "Indicator",
    "ReportForm",
    "ReportFormElement",
    "ReportingRound",
    "Submission",
    "Target",
    "ValidationRule",
]
