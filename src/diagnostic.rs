//! What rules produce: a [`Finding`] (message, primary and related locations, help), stamped by the
//! lint context into a [`Diagnostic`] with the rule's code, name and severity.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::span::Loc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    /// Honours width and alignment (`{:<7}`), so tables of rules line up.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A location with the text to show beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub loc: Loc,
    pub message: Cow<'static, str>,
}

/// What a rule reports. Code, name and severity are added by the lint context.
#[derive(Clone, Debug, PartialEq, Eq)]
///
/// Texts are `Cow` so that the fixed ones (most labels, many helps) are not copied into every
/// finding: a run over 100,000 stacks holds hundreds of thousands of findings at once.
pub struct Finding {
    pub message: Cow<'static, str>,
    pub primary: Option<Label>,
    pub related: Vec<Label>,
    pub help: Option<Cow<'static, str>>,
    /// The resource the finding is about (logical id or Terraform address).
    pub resource: Option<String>,
}

impl Finding {
    #[must_use]
    pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
        Self { message: message.into(), primary: None, related: Vec::new(), help: None, resource: None }
    }

    #[must_use]
    pub fn at(mut self, loc: Loc, label: impl Into<Cow<'static, str>>) -> Self {
        self.primary = Some(Label { loc, message: label.into() });
        self
    }

    #[must_use]
    pub fn related(mut self, loc: Loc, label: impl Into<Cow<'static, str>>) -> Self {
        let label = Label { loc, message: label.into() };
        // One place gets one label: the primary span already points there.
        let at_primary = self.primary.as_ref().is_some_and(|p| p.loc == label.loc);
        if !at_primary && !self.related.contains(&label) {
            // Most findings have one or two related labels, and a run may hold many findings.
            if self.related.is_empty() {
                self.related.reserve_exact(1);
            }
            self.related.push(label);
        }
        self
    }

    /// Adds a related label only when the location is known.
    #[must_use]
    pub fn related_opt(self, loc: Option<Loc>, label: impl Into<Cow<'static, str>>) -> Self {
        match loc {
            Some(loc) => self.related(loc, label),
            None => self,
        }
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }
}

/// A finding stamped with its rule; what reports render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub finding: Finding,
}
