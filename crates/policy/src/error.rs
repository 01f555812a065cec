//! What is wrong with a policy file, each problem placed at file:line:column and named by field.

use std::fmt;

use crate::source::Location;

/// One problem with the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostic {
    pub file: String,
    pub location: Location,
    /// The dotted path of the field (`moderation.rules[2].action`); `TOML syntax` when the file is
    /// not TOML at all.
    pub field: String,
    pub problem: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: {}", self.file, self.location, self.field, self.problem)
    }
}

/// Everything wrong with a policy file that stops it being used. Never empty.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}
