"""import-linter contract types of our own (registered in pyproject.toml's `contract_types`).

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
    parts, wanted = module.split("."), pattern.split(".")
    if len(parts) < len(wanted):
        return False
    return all(w == "*" or w == p for w, p in zip(wanted, parts, strict=False))
