"""A small, safe expression language for indicators, validation rules and index pillars.

    #{SUB_MOBILE} / #{POPULATION} * 100
    (#{REVENUE} - last_year(#{REVENUE})) / last_year(#{REVENUE}) * 100
    #{SUB_MOBILE.VIETTEL} + #{SUB_MOBILE.VNPT}

The text is read by its own tokenizer and a recursive-descent parser into a tree of four node kinds (numbers,
references, operations, calls of whitelisted functions). Nothing is ever handed to Python's eval, compile or ast.
Arithmetic is Decimal. A missing value or a division by zero makes the result missing (None), as in DHIS2; only
`coalesce` turns a missing value into a number.

Functions: abs(x), min(x, …), max(x, …), round(x[, digits]), coalesce(x, …),
previous(x) (the previous period), last_year(x) (the same period of last year).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation, localcontext

from django.utils.translation import gettext as _

MAX_LENGTH = 1000
MAX_DEPTH = 25
MAX_NODES = 300
CODE_RE = r"[A-Za-z][A-Za-z0-9_]{0,49}"

_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<ref>\#\{{(?P<code>{CODE_RE})(?:\.(?P<option>{CODE_RE}))?\}})
  | (?P<name>[a-z_][a-z0-9_]*)
  | (?P<op>[-+*/(),])
    """,
    re.VERBOSE,
)
# name: (min args, max args or None)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1),
    "min": (1, None),
    "max": (1, None),
    "round": (1, 2),
    "coalesce": (1, None),
    "previous": (1, 1),
    "last_year": (1, 1),
}
TIME_FUNCTIONS = frozenset({"previous", "last_year"})


class FormulaError(ValueError):
    """A formula that cannot be read; `position` is the 0-based character where the problem was found."""

    def __init__(self, message: str, position: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


# The tree --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Num:
    value: Decimal


@dataclass(frozen=True, slots=True)
class Ref:
    code: str
    option: str = ""

    @property
    def key(self) -> str:
        return f"{self.code}.{self.option}" if self.option else self.code


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Node


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Num | Ref | BinOp | Neg | Call


@dataclass(frozen=True, slots=True)
class Shift:
    """Where a reference is read, relative to the period being evaluated."""

    periods_back: int = 0
    years_back: int = 0


# Reading --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    pos: int
    code: str = ""
    option: str = ""


def tokenize(text: str) -> list[_Token]:
    if len(text) > MAX_LENGTH:
        raise FormulaError(_("Công thức dài quá %(max)d ký tự.") % {"max": MAX_LENGTH})
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise FormulaError(_("Ký tự không hợp lệ “%(char)s” ở vị trí %(pos)d.") % {"char": text[pos], "pos": pos + 1}, pos)
        kind = match.lastgroup or ""
        if kind != "space":
            if match.group("ref"):
                tokens.append(_Token("ref", match.group(0), pos, match.group("code"), match.group("option") or ""))
            else:
                tokens.append(_Token(kind, match.group(0), pos))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.nodes = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _take(self) -> _Token:
        token = self._peek()
        if token is None:
            raise FormulaError(_("Công thức kết thúc đột ngột."), len(self.text))
        self.i += 1
        return token

    def _expect(self, text: str) -> None:
        token = self._peek()
        if token is None or token.text != text:
            where = token.pos if token else len(self.text)
            raise FormulaError(_("Thiếu “%(text)s” ở vị trí %(pos)d.") % {"text": text, "pos": where + 1}, where)
        self.i += 1

    def _count(self, depth: int) -> None:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise FormulaError(_("Công thức quá phức tạp."))

    def parse(self) -> Node:
        if not self.tokens:
            raise FormulaError(_("Công thức trống."))
        node = self._expr(0)
        token = self._peek()
        if token is not None:
            raise FormulaError(
                _("Không hiểu “%(text)s” ở vị trí %(pos)d.") % {"text": token.text, "pos": token.pos + 1}, token.pos
            )
        return node

    def _expr(self, depth: int) -> Node:
        node = self._term(depth + 1)
        while (token := self._peek()) is not None and token.text in "+-" and token.kind == "op":
            self.i += 1
            self._count(depth)
            node = BinOp(token.text, node, self._term(depth + 1))
        return node

    def _term(self, depth: int) -> Node:
        node = self._unary(depth + 1)
        while (token := self._peek()) is not None and token.text in "*/" and token.kind == "op":
            self.i += 1
            self._count(depth)
            node = BinOp(token.text, node, self._unary(depth + 1))
        return node

    def _unary(self, depth: int) -> Node:
        self._count(depth)
        token = self._peek()
        if token is not None and token.kind == "op" and token.text in "+-":
            self.i += 1
            operand = self._unary(depth + 1)
            return Neg(operand) if token.text == "-" else operand
        return self._primary(depth + 1)

    def _primary(self, depth: int) -> Node:
        self._count(depth)
        token = self._take()
        if token.kind == "number":
            return Num(Decimal(token.text))
        if token.kind == "ref":
            return Ref(token.code, token.option)
        if token.kind == "name":
            return self._call(token, depth)
        if token.text == "(":
            node = self._expr(depth + 1)
            self._expect(")")
            return node
        raise FormulaError(_("Không hiểu “%(text)s” ở vị trí %(pos)d.") % {"text": token.text, "pos": token.pos + 1}, token.pos)

    def _call(self, token: _Token, depth: int) -> Node:
        if token.text not in FUNCTIONS:
            raise FormulaError(
                _("Hàm “%(name)s” không được hỗ trợ. Các hàm dùng được: %(names)s.")
                % {"name": token.text, "names": ", ".join(sorted(FUNCTIONS))},
                token.pos,
            )
        self._expect("(")
        args: list[Node] = []
        if (nxt := self._peek()) is not None and nxt.text == ")":
            self.i += 1
        else:
            while True:
                args.append(self._expr(depth + 1))
                nxt = self._take()
                if nxt.text == ")":
                    break
                if nxt.text != ",":
                    raise FormulaError(_("Thiếu “,” hoặc “)” ở vị trí %(pos)d.") % {"pos": nxt.pos + 1}, nxt.pos)
        low, high = FUNCTIONS[token.text]
        if len(args) < low or (high is not None and len(args) > high):
            raise FormulaError(_("Hàm “%(name)s” nhận sai số đối số (%(n)d).") % {"name": token.text, "n": len(args)}, token.pos)
        if token.text == "round" and len(args) == 2 and not isinstance(args[1], Num):
            raise FormulaError(_("Số chữ số của hàm round phải là một hằng số."), token.pos)
        return Call(token.text, tuple(args))


def parse(text: str) -> Node:
    """The tree of `text`; raises FormulaError (with a Vietnamese message) when it cannot be read."""
    return _Parser(text).parse()


def references(node: Node) -> list[Ref]:
    """Every reference in the tree, in reading order, without repeats."""
    found: dict[tuple[str, str], Ref] = {}

    def walk(n: Node) -> None:
        if isinstance(n, Ref):
            found.setdefault((n.code, n.option), n)
        elif isinstance(n, BinOp):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, Neg):
            walk(n.operand)
        elif isinstance(n, Call):
            for arg in n.args:
                walk(arg)

    walk(node)
    return list(found.values())


def shifts(node: Node) -> set[Shift]:
    """The period shifts the tree reads at (Shift() for the current period): which periods to fetch."""
    found: set[Shift] = set()

    def walk(n: Node, shift: Shift) -> None:
        if isinstance(n, Ref):
            found.add(shift)
        elif isinstance(n, BinOp):
            walk(n.left, shift)
            walk(n.right, shift)
        elif isinstance(n, Neg):
            walk(n.operand, shift)
        elif isinstance(n, Call):
            inner = _shifted(n.name, shift)
            for arg in n.args:
                walk(arg, inner)

    walk(node, Shift())
    return found


def _shifted(name: str, shift: Shift) -> Shift:
    if name == "previous":
        return Shift(shift.periods_back + 1, shift.years_back)
    if name == "last_year":
        return Shift(shift.periods_back, shift.years_back + 1)
    return shift


# Evaluating -----------------------------------------------------------------------------------------------

Resolver = Callable[[Ref, Shift], Decimal | None]


def evaluate(node: Node, resolve: Resolver) -> Decimal | None:
    """The value of the tree, references read through `resolve(ref, shift)`; None when a value is missing."""
    with localcontext() as ctx:
        ctx.prec = 34
        ctx.traps[DivisionByZero] = True
        ctx.traps[InvalidOperation] = True
        try:
            return _eval(node, resolve, Shift())
        except (DivisionByZero, InvalidOperation):
            return None


def _eval(node: Node, resolve: Resolver, shift: Shift) -> Decimal | None:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        value = resolve(node, shift)
        return None if value is None else Decimal(value)
    if isinstance(node, Neg):
        operand = _eval(node.operand, resolve, shift)
        return None if operand is None else -operand
    if isinstance(node, BinOp):
        left = _eval(node.left, resolve, shift)
        right = _eval(node.right, resolve, shift)
        if left is None or right is None:
            return None
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        if right == 0:
            return None
        return left / right
    return _call(node, resolve, shift)


def _call(node: Call, resolve: Resolver, shift: Shift) -> Decimal | None:
    if node.name in TIME_FUNCTIONS:
        return _eval(node.args[0], resolve, _shifted(node.name, shift))
    values = [_eval(arg, resolve, shift) for arg in node.args]
    if node.name == "coalesce":
        return next((v for v in values if v is not None), None)
    if any(v is None for v in values):
        return None
    present: list[Decimal] = [v for v in values if v is not None]
    if node.name == "abs":
        return abs(present[0])
    if node.name == "min":
        return min(present)
    if node.name == "max":
        return max(present)
    # round
    digits = int(present[1]) if len(present) == 2 else 0
    if not -6 <= digits <= 10:
        return None
    return present[0].quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def compare(left: Decimal, operator: str, right: Decimal) -> bool:
    """`left <operator> right` for the operators of a validation rule."""
    if operator == "<=":
        return left <= right
    if operator == "<":
        return left < right
    if operator == "==":
        return left == right
    if operator == "!=":
        return left != right
    if operator == ">=":
        return left >= right
    if operator == ">":
        return left > right
    raise ValueError(f"Unknown operator {operator!r}")
