"""trafilatura's pruning and container XPaths answered in Python, with the nodes XPath would give.

Each of trafilatura's expressions walks the elements below its context and tests a dozen conditions on
their ``id``, ``class``, ``role`` and ``style`` attributes. libxml2 evaluates every condition anew for
every element (a union like ``@id|@class`` builds and sorts a node set each time), and a ``re:test``
calls back into Python; a loop over the same elements that reads each attribute once, and remembers
each regular expression's answer for an attribute value it has seen, gives the same nodes in a third
of the time.

The expressions are written in a small part of XPath, and ``compile_path`` reads that part: ``.//*``
or ``.//tag`` steps with predicates; ``self::tag``; ``@name`` (present), ``@name='value'``;
``contains``, ``starts-with`` and ``re:test`` of an attribute, of a union of attributes (the first in
document order, as XPath takes a node set's string value) or of ``translate(…)`` of one; ``.//tag``
(has such a descendant); ``and``, ``or``, ``not(…)``, brackets; a closing ``[1]`` (the first match
among siblings), ``(…)[1]`` (the first in document order) and ``|`` between paths. Anything else gives
None, and the expression stays an XPath. tests/test_speed_equivalence_trafilatura.py compares the two
on every element of our saved pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

Element = Any  # an lxml element
Select = Callable[[Element], list]

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'[^']*'|\"[^\"]*\")|(?P<op>\.//|::|[()\[\]|,=@*])|"
    r"(?P<name>[A-Za-z_][\w.-]*(?::[A-Za-z_][\w-]*)?)|(?P<number>\d+))"
)
_CACHE_LIMIT = 8192  # values a regular expression's answers are kept for (then forgotten, and kept anew)


class _Unsupported(Exception):
    pass


def _tokens(path: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    path = path.strip()
    while position < len(path):
        match = _TOKEN.match(path, position)
        if match is None or match.end() == position:
            raise _Unsupported(path[position:])
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
        while position < len(path) and path[position].isspace():
            position += 1
    return tokens


class _Parser:
    def __init__(self, path: str) -> None:
        self.tokens = _tokens(path)
        self.at = 0
        self.namespace: dict[str, object] = {}  # helpers the generated code refers to

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, value: str | None = None, kind: str | None = None) -> str:
        token = self.peek()
        if (
            token is None
            or (value is not None and token[1] != value)
            or (kind is not None and token[0] != kind)
        ):
            raise _Unsupported(f"expected {value or kind} at {token}")
        self.at += 1
        return token[1]

    def accept(self, value: str) -> bool:
        token = self.peek()
        if token is not None and token[1] == value and token[0] in ("op", "name"):
            self.at += 1
            return True
        return False

    def string(self) -> str:
        return self.take(kind="string")[1:-1]

    # paths ------------------------------------------------------------------------------------------

    def union(self) -> Select:
        terms = [self.term()]
        while self.accept("|"):
            terms.append(self.term())
        return terms[0] if len(terms) == 1 else _union(terms)

    def term(self) -> Select:
        if self.accept("("):
            inner = self.union()
            self.take(")")
            self.take("[")
            if self.take(kind="number") != "1":
                raise _Unsupported("position other than 1")
            self.take("]")
            return _first(inner)
        self.take(".//")
        tag = "*" if self.accept("*") else self.take(kind="name")
        if tag in ("and", "or", "not", "self"):
            raise _Unsupported(tag)
        conditions: list[str] = []
        first_among_siblings = False
        while self.accept("["):
            if first_among_siblings:
                raise _Unsupported("a predicate after [1]")
            token = self.peek()
            if token is not None and token[0] == "number":
                if self.take() != "1":
                    raise _Unsupported("position other than 1")
                first_among_siblings = True
            else:
                conditions.append(self.expression())
            self.take("]")
        namespace = {**self.namespace, "_first_of": _first_of, "_Element": etree.Element}
        source = _step_source(tag, conditions, first_among_siblings, namespace)
        exec(source, namespace)  # noqa: S102 (our own source)
        select: Select = namespace["select"]  # type: ignore[assignment]
        return select

    # predicates: Python source over ``e`` (the element) and ``get`` (its ``get``) -----------------------

    def expression(self) -> str:
        parts = [self.conjunction()]
        while self.accept("or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"

    def conjunction(self) -> str:
        parts = [self.unary()]
        while self.accept("and"):
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"

    def unary(self) -> str:
        token = self.peek()
        if token == ("name", "not") and self.peek(1) == ("op", "("):
            self.at += 2
            inner = self.expression()
            self.take(")")
            return f"(not {inner})"
        if self.accept("("):
            inner = self.expression()
            self.take(")")
            return inner
        return self.atom()

    def atom(self) -> str:
        token = self.peek()
        if token == ("name", "self"):
            self.at += 1
            self.take("::")
            return f"(e.tag == {self.take(kind='name')!r})"
        if token == ("op", ".//"):
            self.at += 1
            return f"(next(e.iterdescendants({self.take(kind='name')!r}), None) is not None)"
        if token == ("op", "@"):
            names = self.attributes()
            if self.accept("="):
                if len(names) > 1:
                    raise _Unsupported("= on a union")
                return f"(get({names[0]!r}) == {self.string()!r})"
            return "(" + " or ".join(f"get({name!r}) is not None" for name in names) + ")"
        if token is None or token[0] != "name" or self.peek(1) != ("op", "("):
            raise _Unsupported(f"at {token}")
        function = self.take()
        self.take("(")
        read = self.value()
        self.take(",")
        literal = self.string()
        flags = ""
        if function == "re:test" and self.accept(","):
            flags = self.string()
        self.take(")")
        if function == "contains":
            return f"({literal!r} in {read})"
        if function == "starts-with":
            return f"{read}.startswith({literal!r})"
        if function == "re:test":
            answers: dict[str, bool] = {}
            known, test = self.helper(answers), self.helper(_regex_test(literal, flags, answers))
            # the answer kept for the value, else the test (which keeps it): no call for a value seen before
            return f"(_r if (_r := {known}.get(_v := {read})) is not None else {test}(_v))"
        raise _Unsupported(function)

    def helper(self, value: object) -> str:
        """A name for ``value`` in the generated code's namespace."""
        name = f"_h{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def attributes(self) -> tuple[str, ...]:
        names = []
        while True:
            self.take("@")
            names.append(self.take(kind="name"))
            if not (self.peek() == ("op", "|") and self.peek(1) == ("op", "@")):
                return tuple(names)
            self.at += 1

    def value(self) -> str:
        """Source for a string: an attribute's value (``''`` when missing), the first of a union's in
        document order (a node set's string value is its first node's), or ``translate`` of one."""
        if self.peek() == ("name", "translate"):
            self.at += 1
            self.take("(")
            read = self.value()
            self.take(",")
            source = self.string()
            self.take(",")
            table = _translation(source, self.string())
            self.take(")")
            return f"{read}.translate({self.helper(table)})"
        names = self.attributes()
        if len(names) == 1:
            return f"(get({names[0]!r}) or '')"
        if len(names) == 2:  # the first present, unless both are: then the one first in document order
            one, other = names
            return (
                f"((get({other!r}) or '') if (_a := get({one!r})) is None else _a if get({other!r}) is None"
                f" else _first_of(e, {self.helper(frozenset(names))}))"
            )
        return f"_first_of(e, {self.helper(frozenset(names))})"


def _first_of(element: Element, names: frozenset[str]) -> str:
    for key, value in element.items():  # attributes come in document order
        if key in names:
            return value
    return ""


def _translation(source: str, target: str) -> dict[int, int | None]:
    """XPath's ``translate``: each character of ``source`` becomes the one at its place in ``target``, or
    goes when ``target`` is shorter; a character repeated in ``source`` keeps its first place."""
    table: dict[int, int | None] = {}
    for index, character in enumerate(source):
        if ord(character) not in table:
            table[ord(character)] = ord(target[index]) if index < len(target) else None
    return table


def _regex_test(pattern: str, flags: str, answers: dict[str, bool]) -> Callable[[str], bool]:
    """EXSLT's ``re:test`` as lxml runs it (Python's ``re``, ``i`` for ignoring case), each value's answer
    kept in ``answers``."""
    compiled = re.compile(pattern, re.IGNORECASE if "i" in flags else 0)

    def test(value: str) -> bool:
        if len(answers) >= _CACHE_LIMIT:
            answers.clear()
        found = answers[value] = compiled.search(value) is not None
        return found

    return test


_TAG_TEST = re.compile(r"\(e\.tag == '([\w-]+)'\)")


def _tags_only(condition: str) -> tuple[str, ...] | None:
    """The tags of a condition that only tests the element's tag (``self::div or self::p``), else None."""
    parts = condition[1:-1].split(" or ") if condition.startswith("((") else [condition]
    tags = []
    for part in parts:
        match = _TAG_TEST.fullmatch(part)
        if match is None:
            return None
        tags.append(match.group(1))
    return tuple(tags)


def _step_source(
    tag: str, conditions: list[str], first_among_siblings: bool, namespace: dict[str, object] | None = None
) -> str:
    """Python source of ``select(context)`` for ``.//tag[conditions…]`` (``[1]`` last: an element only when
    no earlier sibling matched), in document order. With the ``namespace`` the source runs in, conditions
    that no element without the attributes they read can meet (``_needs_attributes``) skip such elements
    after reading those attributes once."""
    tags: tuple[str, ...] | None = (tag,) if tag != "*" else None
    if tags is None and conditions and (only := _tags_only(conditions[0])) is not None:
        tags, conditions = only, conditions[1:]
    lines = ["def select(context):", "    found = []"]
    if first_among_siblings:
        lines.append("    parents = set()")
    if tags is None:  # (lxml's Element factory as the tag: elements only, no comments, in C)
        lines.append("    for e in context.iterdescendants(_Element):")
    else:
        lines.append(f"    for e in context.iterdescendants(*{tags!r}):")
    if conditions:
        needed = namespace is not None and _needs_attributes(conditions, namespace)
        reads = _reads(conditions, every=needed)  # (which changes the conditions to use what it reads)
        lines += ["        get = e.get", *reads]
        if needed:
            locals_read = [line.split(" = ", 1)[0].strip() for line in reads]
            lines.append(f"        if {' is None and '.join(locals_read)} is None: continue")
        lines.append(f"        if not ({' and '.join(conditions)}): continue")
    if first_among_siblings:
        lines += [
            "        parent = e.getparent()",
            "        if parent in parents: continue",
            "        parents.add(parent)",
        ]
    lines += ["        found.append(e)", "    return found"]
    return "\n".join(lines)


_GET = re.compile(r"get\(('[^']*')\)")


def _reads(conditions: list[str], every: bool = False) -> list[str]:
    """Lines that read each attribute the conditions test more than once (``every``: each one they test) into
    a local, once per element, with the conditions changed (in place) to use it: ``get('class')`` six times
    is six calls into lxml."""
    counts: dict[str, int] = {}
    for condition in conditions:
        for name in _GET.findall(condition):
            counts[name] = counts.get(name, 0) + 1
    repeated = [name for name, count in counts.items() if count > 1 or every]
    local = {name: f"_a{index}" for index, name in enumerate(repeated)}
    for index, condition in enumerate(conditions):
        conditions[index] = _GET.sub(lambda m: local.get(m.group(1), m.group(0)), condition)
    return [f"        {local[name]} = get({name})" for name in repeated]


# What a condition reads of the element other than its attributes (its tag, its descendants): its answer
# for an element without attributes then depends on more than that.
_READS_ELEMENT = re.compile(r"\be\.")


def _needs_attributes(conditions: list[str], namespace: dict[str, object]) -> bool:
    """Whether the conditions are false for any element that has none of the attributes they read: they read
    nothing else of it, and are false when every attribute is missing (asked once, of an empty element)."""
    if not any(_GET.search(condition) for condition in conditions):
        return False
    if any(_READS_ELEMENT.search(condition) for condition in conditions):
        return False
    probe = {**namespace, "get": lambda name: None, "e": etree.Element("probe")}
    return not eval(" and ".join(conditions) or "True", probe)  # noqa: S307 (our own source)


def _first(inner: Select) -> Select:
    def select(context: Element) -> list:
        return inner(context)[:1]

    return select


def _union(terms: list[Select]) -> Select:
    def select(context: Element) -> list:
        found: dict = {}
        parts = 0
        for term in terms:
            results = term(context)
            if results:
                parts += 1
                found.update(dict.fromkeys(results))
        if parts <= 1:
            return list(found)
        return [element for element in context.iterdescendants() if element in found]  # document order

    return select


def compile_path(path: str) -> Select | None:
    """A function giving what the XPath ``path`` gives (its elements, in document order) for a context
    element, or None when ``path`` is not in the part of XPath this module reads."""
    try:
        parser = _Parser(path)
        select = parser.union()
        if parser.peek() is not None:
            return None
    except (_Unsupported, re.error):
        return None
    return select


class InPython:
    """An expression of trafilatura's answered by ``compile_path``'s function; called like the XPath."""

    __slots__ = ("select", "path")

    def __init__(self, select: Select, xpath: etree.XPath) -> None:
        self.select, self.path = select, xpath.path

    def __call__(self, tree: Element, **variables: object) -> list:
        return self.select(tree)
