//! Python: endpoint names imported from another module of the function's code
//! (`from config import ENDPOINT_NAME`, `import config` … `config.ENDPOINT`), and the module-level
//! constants a module offers to its importers. The linking happens where the function's files
//! are known (`links.rs`).

use std::collections::HashMap;

use super::PyGrammar;
use crate::code::analyzer::scope::{AssignVal, Binding};
use crate::code::analyzer::{Analyzer, BUDGET, MODULE};
use crate::code::{EndpointName, ImportedName};

/// How many local names assigned to an imported constant are followed.
const MAX_ALIAS_HOPS: usize = 2;

/// How many module-level constants of one file are evaluated for importers.
const MAX_CONSTANTS: usize = 200;

/// What an imported name stands for: `from M import X` binds X to (M, Some(X)); `import M`
/// and `import M as A` bind M/A to (M, None).
type ImportBinding = (String, Option<String>);

impl<'a> Analyzer<'a, PyGrammar> {
    /// The names the file's top-level `import` statements bind.
    pub(in crate::code) fn py_imports(&self) -> HashMap<&'a str, ImportBinding> {
        let mut out = HashMap::new();
        for i in 0..self.len() {
            if !self.bol(i) || self.toks[i].indent != 0 {
                continue;
            }
            if self.is_id(i, "from") {
                let (module, mut k) = self.py_module_path(i + 1);
                if !self.is_id(k, "import") {
                    continue;
                }
                k += 1;
                if self.is_p(k, "(") {
                    k += 1;
                }
                while let Some(name) = self.ident(k) {
                    let alias = if self.is_id(k + 1, "as") { self.ident(k + 2) } else { None };
                    out.insert(alias.unwrap_or(name), (module.clone(), Some(name.to_owned())));
                    k += if alias.is_some() { 3 } else { 1 };
                    if !self.is_p(k, ",") {
                        break;
                    }
                    k += 1;
                }
            } else if self.is_id(i, "import") {
                let mut k = i + 1;
                loop {
                    let (module, next) = self.py_module_path(k);
                    if module.is_empty() {
                        break;
                    }
                    let alias = if self.is_id(next, "as") { self.ident(next + 1) } else { None };
                    // `import a.b` binds `a`, not the module the attribute reads come from.
                    match alias {
                        Some(a) => {
                            out.insert(a, (module, None));
                        }
                        None if !module.contains('.') => {
                            out.insert(self.t(k), (module, None));
                        }
                        None => {}
                    }
                    k = if alias.is_some() { next + 2 } else { next };
                    if !self.is_p(k, ",") {
                        break;
                    }
                    k += 1;
                }
            }
        }
        out
    }

    /// A dotted module path starting at `k` (leading dots kept: `.settings`), and the index after it.
    fn py_module_path(&self, mut k: usize) -> (String, usize) {
        let mut path = String::new();
        while self.is_p(k, ".") || self.is_p(k, "...") {
            path.push_str(self.t(k));
            k += 1;
        }
        while let Some(part) = self.ident(k).filter(|w| *w != "import") {
            path.push_str(part);
            k += 1;
            if self.is_p(k, ".") && self.ident(k + 1).is_some() {
                path.push('.');
                k += 1;
            } else {
                break;
            }
        }
        (path, k)
    }

    /// The imported module constant that the expression `lo..hi` names, when it is one: `X` of
    /// `from M import X`, or `M.X` of `import M` / `from P import M`, not assigned in this file.
    pub(in crate::code) fn py_imported_ref(
        &self,
        lo: usize,
        hi: usize,
        imports: &HashMap<&'a str, ImportBinding>,
    ) -> Option<ImportedName> {
        self.py_imported_ref_at(lo, hi, imports, 0)
    }

    /// `py_imported_ref`, also through a name assigned once to such a reference
    /// (`ENDPOINT = config.ENDPOINT`), up to `MAX_ALIAS_HOPS` of them.
    fn py_imported_ref_at(
        &self,
        lo: usize,
        hi: usize,
        imports: &HashMap<&'a str, ImportBinding>,
        hops: usize,
    ) -> Option<ImportedName> {
        let first = self.ident(lo)?;
        match self.lookup(first, lo) {
            Binding::Unknown => {}
            Binding::Assigned([only]) if hi == lo + 1 && hops < MAX_ALIAS_HOPS => {
                let AssignVal::Expr(a, b) = only.val else { return None };
                return self.py_imported_ref_at(a, b, imports, hops + 1);
            }
            _ => return None,
        }
        let (module, name) = imports.get(first)?;
        if hi == lo + 1 {
            return Some(ImportedName { module: module.clone(), name: name.clone()? });
        }
        if hi == lo + 3 && self.is_p(lo + 1, ".") {
            let attr = self.ident(lo + 2)?.to_owned();
            let module = match name {
                None => module.clone(),
                Some(sub) if module.ends_with('.') => format!("{module}{sub}"),
                Some(sub) => format!("{module}.{sub}"),
            };
            return Some(ImportedName { module, name: attr });
        }
        None
    }

    /// Module-level names assigned exactly once whose value is known here (a literal or an
    /// environment read), for the modules that import them.
    pub(in crate::code) fn py_constants(&self) -> Vec<(String, EndpointName)> {
        let mut names: Vec<(&str, usize)> = self
            .assigns
            .iter()
            .filter(|((_, scope), list)| *scope == MODULE && list.len() == 1)
            .map(|((name, _), list)| (*name, list[0].at))
            .collect();
        names.sort_by_key(|&(_, at)| at);
        names.truncate(MAX_CONSTANTS);
        let mut out = Vec::new();
        for (name, at) in names {
            let mut budget = BUDGET;
            let value = self.resolve_name(name, at, 0, &mut budget);
            if matches!(value, EndpointName::Literal { .. } | EndpointName::EnvVar { .. }) {
                out.push((name.to_owned(), value));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::code::{EndpointName, ImportedName, Language, scan};

    fn imported(src: &str) -> Vec<Option<(String, String)>> {
        let s = scan(Language::Python, src);
        s.calls
            .iter()
            .map(|c| c.imported.as_ref().map(|ImportedName { module, name }| (module.clone(), name.clone())))
            .collect()
    }

    const CALL: &str = "def handler(e, c):\n    return rt.invoke_endpoint(EndpointName=NAME, Body=b)\n";

    #[test]
    fn names_imported_from_a_module_are_marked_for_lookup() {
        let from = format!("from config import ENDPOINT_NAME as NAME, OTHER\n{CALL}");
        assert_eq!(imported(&from), [Some(("config".into(), "ENDPOINT_NAME".into()))]);
        let relative = format!("from .settings import (\n    NAME,\n)\n{CALL}");
        assert_eq!(imported(&relative), [Some((".settings".into(), "NAME".into()))]);
        let alias = format!("import config\nNAME = config.ENDPOINT\n{CALL}");
        assert_eq!(imported(&alias), [Some(("config".into(), "ENDPOINT".into()))]);
        let attribute = CALL.replace("=NAME", "=cfg.ENDPOINT");
        assert_eq!(
            imported(&format!("import app.config as cfg\n{attribute}")),
            [Some(("app.config".into(), "ENDPOINT".into()))]
        );
        assert_eq!(
            imported(&format!("from app import cfg\n{attribute}")),
            [Some(("app.cfg".into(), "ENDPOINT".into()))]
        );
        assert_eq!(
            imported(&format!("from . import cfg\n{attribute}")),
            [Some((".cfg".into(), "ENDPOINT".into()))]
        );
    }

    #[test]
    fn a_name_assigned_here_or_not_imported_is_not_looked_up() {
        let shadowed = format!("from config import NAME\nNAME = os.environ[\"X\"]\n{CALL}");
        assert_eq!(imported(&shadowed), [None]);
        assert_eq!(imported(CALL), [None]);
        let plain_import_of_dotted = CALL.replace("=NAME", "=app.ENDPOINT");
        assert_eq!(imported(&format!("import app.config\n{plain_import_of_dotted}")), [None]);
    }

    #[test]
    fn module_constants_with_known_values_are_offered() {
        let s = scan(
            Language::Python,
            "import os\nENDPOINT = os.environ[\"SM_ENDPOINT\"]\nMODEL = \"churn\"\nTWICE = \"a\"\nTWICE = \"b\"\nBODY = json.dumps({})\n",
        );
        let names: Vec<&str> = s.constants.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["ENDPOINT", "MODEL"]);
        assert!(matches!(&s.constants[0].1, EndpointName::EnvVar { var, .. } if var == "SM_ENDPOINT"));
    }
}
