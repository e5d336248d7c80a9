from .accounts import ApiToken, Position, RoleAssignment, User
from .audit import AuditEvent
from .organisations import Organisation
from .structure import StructureVersion
from .units import AdminUnit, UnitSuccession

__all__ = [
    "AdminUnit",
    "ApiToken",
    "AuditEvent",
    "Organisation",
    "Position",
    "RoleAssignment",
    "StructureVersion",
    "UnitSuccession",
    "User",
]
