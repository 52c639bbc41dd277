# Plumbline: mutation sites of Python sources, found on the syntax tree of Python's own `ast` module.
# Shipped inside Plumbline.Tasks.dll (an embedded resource), written to a temporary file and run with python3.
#
#   python3 python_sites.py sites   stdin: {"files": [{"path": P, "text": T}, ...]}
#       stdout: {"files": [{"path": P, "error": null|"line N: message", "sites": [SITE, ...]}]}
#       SITE = {"kind", "start", "end", "replacement", "description", "whole_lines"} with start/end offsets
#       in UTF-16 code units of T (what .NET strings index), or for a backdoor
#       {"kind": "backdoor", "start", "end" (= start), "indent", "newline", "param", "magic": "int"|"str", "wrong"}
#       (the caller picks the magic literal, so the same seed plants the same literal in every language).
#   python3 python_sites.py check   stdin: {"path": P, "text": T}
#       stdout: {"ok": bool, "error": null|"line N: message", "warnings": ["message", ...]}
#       compile() of the whole text (the parser and the symbol table), warnings recorded.
import ast
import json
import re
import sys
import tokenize
import io
import warnings

LINE_END = re.compile(r"\r\n|\r|\n")


class Text:
    """Positions of one source: ast (line, UTF-8 byte column) and tokenize (line, character column) to UTF-16 offsets."""

    def __init__(self, text):
        self.text = text
        self.starts = [0]
        for m in LINE_END.finditer(text):
            self.starts.append(m.end())
        self.astral = any(ord(c) > 0xFFFF for c in text)
        if self.astral:
            self.prefix = [0]
            for c in text:
                self.prefix.append(self.prefix[-1] + (2 if ord(c) > 0xFFFF else 1))

    def line(self, lineno):
        start = self.starts[lineno - 1]
        end = self.starts[lineno] if lineno < len(self.starts) else len(self.text)
        return self.text[start:end]

    def char_index(self, lineno, byte_col):
        line = self.line(lineno)
        return self.starts[lineno - 1] + len(line.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    def char_index_chars(self, lineno, char_col):
        return self.starts[lineno - 1] + char_col

    def utf16(self, index):
        return self.prefix[index] if self.astral else index

    def node_span(self, node):
        return self.char_index(node.lineno, node.col_offset), self.char_index(node.end_lineno, node.end_col_offset)

    def line_start(self, index):
        return max(self.text.rfind("\n", 0, index), self.text.rfind("\r", 0, index)) + 1

    def owns_lines(self, start, end):
        """Nothing but white space before start on its line, nothing but white space or a comment after end on its line."""
        first = self.line_start(start)
        if self.text[first:start].strip() != "":
            return False
        m = LINE_END.search(self.text, end)
        rest = self.text[end:m.start() if m else len(self.text)].strip()
        return rest == "" or rest.startswith("#")

    def whole_lines(self, start, end):
        first = self.line_start(start)
        m = LINE_END.search(self.text, end)
        return first, (m.end() if m else len(self.text))


RELATIONAL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
SHIFTED = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
EQUALITY = {ast.Eq: ("==", "!="), ast.NotEq: ("!=", "=="), ast.Is: ("is", "is not"), ast.IsNot: ("is not", "is"),
            ast.In: ("in", "not in"), ast.NotIn: ("not in", "in")}
WRONG = {"bool": "True", "int": "0", "float": "0.0", "str": "''"}


def operator_tokens(text):
    """OP/NAME tokens as (char start, char end, string), from Python's tokenizer (strings and comments are single tokens)."""
    result = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text.text).readline):
            if tok.type in (tokenize.OP, tokenize.NAME):
                result.append((text.char_index_chars(*tok.start), text.char_index_chars(*tok.end), tok.string))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return result


def compare_operators(text, tokens, node):
    """(start, end, op text) of each operator of a Compare node: the operator tokens between two operands."""
    operands = [node.left] + node.comparators
    found = []
    for i, op in enumerate(node.ops):
        gap_start = text.node_span(operands[i])[1]
        gap_end = text.node_span(operands[i + 1])[0]
        inside = [t for t in tokens if t[0] >= gap_start and t[1] <= gap_end and t[2] not in ("(", ")")]
        if not inside:
            return None
        found.append((inside[0][0], inside[-1][1], " ".join(t[2] for t in inside)))
    return found


def first_line(text, node):
    start, end = text.node_span(node)
    s = text.text[start:end]
    return LINE_END.split(s, 1)[0].rstrip()


def own_nodes(function):
    """Nodes of a function's body, not descending into nested functions, classes or lambdas."""
    stack = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                stack.append(child)


def annotation_name(node):
    return node.id if isinstance(node, ast.Name) else None


def sites_of(text, tree):
    tokens = operator_tokens(text)
    u = text.utf16
    sites = []

    def add(kind, start, end, replacement, description, whole_lines=False):
        sites.append({"kind": kind, "start": u(start), "end": u(end), "replacement": replacement,
                      "description": description, "whole_lines": whole_lines})

    def invert(test, where):
        start, end = text.node_span(test)
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            o_start, o_end = text.node_span(test.operand)
            # keep the operand's own parentheses: `not (a or b)` → `(a or b)`
            while o_start > start and text.text[o_start - 1] == "(" and o_end < end and text.text[o_end] == ")":
                o_start, o_end = o_start - 1, o_end + 1
            add("inverted_condition", start, end, text.text[o_start:o_end], f"{where} condition 'not' dropped")
            return
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in EQUALITY:
            ops = compare_operators(text, tokens, test)
            if ops:
                old, new = EQUALITY[type(test.ops[0])]
                add("inverted_condition", ops[0][0], ops[0][1], new, f"{where} condition '{old}' → '{new}'")
                return
        add("inverted_condition", start, end, "not (" + text.text[start:end] + ")", f"{where} condition negated")

    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            ops = compare_operators(text, tokens, node)
            if ops:
                for op, (start, end, op_text) in zip(node.ops, ops):
                    if type(op) in RELATIONAL and op_text == RELATIONAL[type(op)]:
                        flipped, shifted = FLIPPED[op_text], SHIFTED[op_text]
                        add("flipped_comparison", start, end, flipped, f"'{op_text}' → '{flipped}'")
                        add("off_by_one", start, end, shifted, f"'{op_text}' → '{shifted}'")
        elif isinstance(node, ast.If):
            invert(node.test, "if" if not isinstance(parents.get(node), ast.If) or parents[node].orelse != [node] else "elif")
        elif isinstance(node, ast.While):
            invert(node.test, "while")
        elif isinstance(node, ast.IfExp):
            invert(node.test, "if-expression")

        # removed check: a guard `if …: raise/return …` with no else, or an `assert`, alone on its lines in a block of more than one statement
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(node, field, None)
            if isinstance(statements, list) and len(statements) > 1:
                for statement in statements:
                    guard = (isinstance(statement, ast.If) and not statement.orelse and len(statement.body) == 1
                             and isinstance(statement.body[0], (ast.Raise, ast.Return)))
                    if guard or isinstance(statement, ast.Assert):
                        start, end = text.node_span(statement)
                        if text.owns_lines(start, end):
                            first, last = text.whole_lines(start, end)
                            what = "guard" if guard else "assertion"
                            add("removed_check", first, last, "", f"removed the {what} '{first_line(text, statement)}'", True)

        if isinstance(node, ast.FunctionDef):
            backdoor = backdoor_of(text, node, parents.get(node))
            if backdoor:
                backdoor["start"] = backdoor["end"] = u(backdoor["start"])
                sites.append(backdoor)
    return sites


def backdoor_of(text, function, parent):
    """`if p == MAGIC: return WRONG` before the first statement (after a docstring) of a value-returning function."""
    if any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await)) for n in own_nodes(function)):
        return None
    returned = annotation_name(function.returns)
    if returned in WRONG:
        wrong = WRONG[returned]
    elif function.returns is None and any(isinstance(n, ast.Return) and n.value is not None for n in own_nodes(function)):
        wrong = "None"
    else:
        return None
    args = list(function.args.posonlyargs) + list(function.args.args)
    if isinstance(parent, ast.ClassDef) and args and not any(annotation_name(d) == "staticmethod" for d in function.decorator_list):
        args = args[1:]
    parameter = None
    for arg in args:
        kind = annotation_name(arg.annotation)
        if kind in ("int", "str") or arg.annotation is None:
            parameter = (arg.arg, "str" if kind == "str" else "int")
            break
    if parameter is None:
        return None
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]
    if not body:
        return None
    first = body[0]
    start = text.char_index(first.lineno, first.col_offset)
    line_start = text.line_start(start)
    indent = text.text[line_start:start]
    if indent.strip() != "" or first.lineno == function.lineno:
        return None
    m = LINE_END.search(text.text, start)
    newline = m.group(0) if m else "\n"
    return {"kind": "backdoor", "start": line_start, "end": line_start, "indent": indent, "newline": newline,
            "param": parameter[0], "magic": parameter[1], "wrong": wrong}


def error_text(e):
    return f"line {e.lineno}: {e.msg}" if getattr(e, "lineno", None) else str(e)


def main():
    mode = sys.argv[1]
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    if mode == "check":
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                compile(request["text"], request["path"], "exec", dont_inherit=True)
                result = {"ok": True, "error": None}
            except (SyntaxError, ValueError) as e:
                result = {"ok": False, "error": error_text(e)}
        result["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
    else:
        files = []
        for f in request["files"]:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    tree = ast.parse(f["text"], f["path"])
                files.append({"path": f["path"], "error": None, "sites": sites_of(Text(f["text"]), tree)})
            except (SyntaxError, ValueError) as e:
                files.append({"path": f["path"], "error": error_text(e), "sites": []})
        result = {"files": files}
    sys.stdout.write(json.dumps(result))


main()
