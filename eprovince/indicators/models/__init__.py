from .catalogue import CategoryCombo, CategoryOption, DataElement, Indicator
from .indices import IndexComponent, IndexFramework, IndexInput, IndexItem, IndexPillar, IndexSubject
from .reminders import ReminderLog
from .reporting import ReportForm, ReportFormElement, ReportingRound, Submission, ValidationRule
from .review import ReviewReportJob, ReviewStatus
from .summary import YearlyValue
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
    "ReminderLog",
    "ReportForm",
    "ReportFormElement",
    "ReportingRound",
    "ReviewReportJob",
    "ReviewStatus",
    "Submission",
    "Target",
    "ValidationRule",
    "YearlyValue",
]
