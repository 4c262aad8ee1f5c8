//! Terraform's built-in functions that name things: the string and collection functions real
//! configurations use to build endpoint names, ARNs and policy lists. Each is evaluated only when
//! its arguments are known well enough to give the exact result Terraform would; otherwise the
//! caller reports the call as not evaluated (SL003), never a guess.
//! Reference: https://developer.hashicorp.com/terraform/language/functions

use super::ast::Expr;
use super::module::World;
use crate::value::{SymStr, Value, ValueEntry, ValueKind};

impl World<'_> {
    /// The value of `name(args…)`, or `None` when the function or its arguments cannot be
    /// evaluated exactly.
    pub(super) fn eval_call(&self, m: usize, name: &str, args: &[Expr], depth: usize) -> Option<ValueKind> {
        let arg = |i: usize| args.get(i).map(|a| self.eval_in(m, a, depth + 1));
        match (name, args.len()) {
            // Marks and conversions that leave a string or list as it is.
            ("nonsensitive" | "sensitive" | "tostring" | "tolist", 1) => Some(arg(0)?.kind),
            ("toset", 1) => to_set(arg(0)?),
            ("format", n) if n >= 1 => format(
                &arg(0)?.as_literal()?,
                &args[1..].iter().map(|a| self.eval_in(m, a, depth + 1)).collect::<Vec<_>>(),
            ),
            ("replace", 3) => replace(&arg(0)?, &arg(1)?, &arg(2)?),
            ("one", 1) => match arg(0)?.kind {
                ValueKind::List(items) if items.len() <= 1 => {
                    Some(items.into_iter().next().map_or(ValueKind::Null, |v| v.kind))
                }
                _ => None,
            },
            ("element", 2) => {
                let ValueKind::List(items) = arg(0)?.kind else { return None };
                let i: usize = arg(1)?.as_literal()?.parse().ok()?;
                // element() wraps around the list's length.
                (!items.is_empty()).then(|| items[i % items.len()].kind.clone())
            }
            ("lookup", 2 | 3) => {
                let map = arg(0)?;
                let ValueKind::Map(_) = map.kind else { return None };
                let key = arg(1)?.as_literal()?;
                match map.get(&key) {
                    Some(v) => Some(v.kind.clone()),
                    None => Some(arg(2)?.kind),
                }
            }
            ("coalesce", _) => coalesce(args.iter().map(|a| self.eval_in(m, a, depth + 1))),
            // try() returns its first argument that evaluates without an error; a value that is
            // merely not known could still be an error, so it stops the search.
            ("try", _) => {
                for a in args {
                    let v = self.eval_in(m, a, depth + 1);
                    match v.kind {
                        ValueKind::Failed(_) => {}
                        ValueKind::Unknown(_) => return None,
                        kind => return Some(kind),
                    }
                }
                None
            }
            ("merge", _) => {
                let mut out: Vec<ValueEntry> = Vec::new();
                for a in args {
                    match self.eval_in(m, a, depth + 1).kind {
                        ValueKind::Map(entries) => {
                            for e in entries {
                                match out.iter_mut().find(|x| x.key == e.key) {
                                    Some(slot) => *slot = e,
                                    None => out.push(e),
                                }
                            }
                        }
                        ValueKind::Null => {}
                        _ => return None,
                    }
                }
                Some(ValueKind::Map(out))
            }
            ("concat", _) => {
                let mut out = Vec::new();
                for a in args {
                    let ValueKind::List(items) = self.eval_in(m, a, depth + 1).kind else { return None };
                    out.extend(items);
                }
                Some(ValueKind::List(out))
            }
            ("join", 2) => {
                let sep = arg(0)?.as_literal()?;
                let ValueKind::List(items) = arg(1)?.kind else { return None };
                let mut out = SymStr::default();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&sep);
                    }
                    out.append(&item.as_symstr()?);
                }
                Some(ValueKind::Str(out))
            }
            _ => None,
        }
    }
}

/// `toset([…])` of literal strings: sorted and without duplicates, the order `for_each` sees.
fn to_set(v: Value) -> Option<ValueKind> {
    let ValueKind::List(items) = v.kind else { return None };
    let mut literal: Vec<(String, Value)> =
        items.into_iter().map(|i| Some((i.as_literal()?, i))).collect::<Option<_>>()?;
    literal.sort_by(|a, b| a.0.cmp(&b.0));
    literal.dedup_by(|a, b| a.0 == b.0);
    Some(ValueKind::List(literal.into_iter().map(|(_, v)| v).collect()))
}

/// `format(spec, args…)` with the verbs names are built with (`%s`, `%d`, `%v`, `%%`); any
/// other verb (widths, `%q`, `%#v`) is left unevaluated.
fn format(spec: &str, args: &[Value]) -> Option<ValueKind> {
    let mut out = SymStr::default();
    let mut next = args.iter();
    let mut chars = spec.chars();
    let mut lit = String::new();
    while let Some(c) = chars.next() {
        if c != '%' {
            lit.push(c);
            continue;
        }
        match chars.next()? {
            '%' => lit.push('%'),
            's' | 'd' | 'v' => {
                out.push_str(&std::mem::take(&mut lit));
                out.append(&next.next()?.as_symstr()?);
            }
            _ => return None,
        }
    }
    out.push_str(&lit);
    // Terraform rejects extra arguments; a mismatch means the call is not what it seems.
    next.next().is_none().then_some(ValueKind::Str(out))
}

/// `replace(s, old, new)` of literal strings; `/regex/` patterns are not evaluated.
fn replace(s: &Value, old: &Value, new: &Value) -> Option<ValueKind> {
    let (s, old, new) = (s.as_literal()?, old.as_literal()?, new.as_literal()?);
    if old.len() > 1 && old.starts_with('/') && old.ends_with('/') {
        return None;
    }
    Some(ValueKind::Str(SymStr::lit(&s.replace(&old, &new))))
}

/// `coalesce(a, b, …)`: the first argument that is neither null nor an empty string. A value
/// not known before it leaves the result unknown (it may be empty).
fn coalesce(args: impl Iterator<Item = Value>) -> Option<ValueKind> {
    for v in args {
        match &v.kind {
            ValueKind::Null => {}
            ValueKind::Str(s) if s.as_literal() == Some("") => {}
            ValueKind::Str(s) if s.is_literal() => return Some(v.kind),
            ValueKind::Number(_) | ValueKind::Bool(_) => return Some(v.kind),
            _ => return None,
        }
    }
    None
}
