"""import-linter contract types of our own (registered in pyproject.toml's `contract_types`).

`no_external_submodule`: the listed modules never import the named parts of an external package (grimp keeps
an external package as one node, `django`, so the import-linter's own `forbidden` type cannot name
`django.http`; this one reads the import lines grimp recorded). Used for "no service or query speaks HTTP".

`public_interface`: each listed domain app is reached from outside it only through its `services` and
`queries` modules (or packages). Its models, forms, views, rules, FHIR mappers and tasks are its own; another
domain that needs one of its types gets it re-exported from `queries` or `services`. Importers listed in
`allowed_importers` (the demo data, test packages) are exempt.
"""

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output

PUBLIC = ("services", "queries")


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class PublicInterfaceContract(Contract):
    type_name = "public_interface"

    apps = fields.ListField(subfield=fields.StringField())
    allowed_importers = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        allowed = list(self.allowed_importers or [])  # type: ignore[call-overload]
        apps = list(self.apps)  # type: ignore[call-overload]
        violations: set[tuple[str, str]] = set()
        for app in apps:
            public = [f"{app}.{name}" for name in PUBLIC]
            for module in graph.find_descendants(app) | {app}:
                if any(_inside(module, entry) for entry in public):
                    continue
                for importer in graph.find_modules_that_directly_import(module):
                    if _inside(importer, app) or any(_matches(importer, pattern) for pattern in allowed):
                        continue
                    violations.add((importer, module))
        return ContractCheck(kept=not violations, metadata={"violations": sorted(violations)})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported in check.metadata["violations"]:
            output.print_error(f"{importer} -> {imported} (use its services or queries)")
            output.new_line()


def _matches(module: str, pattern: str) -> bool:
    """`helseportal.demo` covers the package; `helseportal.*.tests` any app's test package."""
    parts, wanted = module.split("."), [part for part in pattern.split(".") if part != "**"]
    if len(parts) < len(wanted):
        return False
    return all(w == "*" or w == p for w, p in zip(wanted, parts, strict=False))


class NoExternalSubmoduleContract(Contract):
    type_name = "no_external_submodule"

    source_modules = fields.ListField(subfield=fields.StringField())
    forbidden = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        patterns = list(self.source_modules)  # type: ignore[call-overload]
        forbidden = list(self.forbidden)  # type: ignore[call-overload]
        externals = {name.split(".")[0] for name in forbidden}
        violations: set[tuple[str, str]] = set()
        for module in graph.modules:
            if not any(_matches(module, pattern) and _depth_fits(module, pattern) for pattern in patterns):
                continue
            for package in externals & graph.find_modules_directly_imported_by(module):
                for detail in graph.get_import_details(importer=module, imported=package):
                    line = str(detail["line_contents"])
                    if any(_names(line, name) for name in forbidden):
                        violations.add((module, f"{line} (line {detail['line_number']})"))
        return ContractCheck(kept=not violations, metadata={"violations": sorted(violations)})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for module, line in check.metadata["violations"]:
            output.print_error(f"{module}: {line}")
            output.new_line()


def _depth_fits(module: str, pattern: str) -> bool:
    """`a.*.services` matches the module itself; `a.*.services.**` what lies below it."""
    if pattern.endswith(".**"):
        return len(module.split(".")) > len(pattern.split(".")) - 1
    return len(module.split(".")) == len(pattern.split("."))


def _names(line: str, name: str) -> bool:
    return f"from {name} import" in line or f"import {name}" in line or f"from {name}." in line
