//! A school's social media policy as code.
//!
//! One file per school (see `examples/dar-ul-madinah/policy.toml`) holds its channels, post
//! categories, will-not-post rules, moderation actions, lexicons, thresholds, people and review
//! dates. This crate reads that file and gives the rest of Gatehouse three things from it, so that
//! the policy that is published and the policy that is enforced cannot drift apart:
//!
//! - the enforced policy: [`Policy::action_for`], [`Policy::analyser_settings`], the categories and
//!   will-not-post rules, each with the clause ID (POLICY-MAP.md) that explains it;
//! - what a careful governor would notice about the policy: [`lint()`];
//! - the policy document itself: [`render()`].
//!
//! It does no I/O: callers read the file and pass its text and name.
//!
//! ```
//! let source = include_str!("../../../examples/dar-ul-madinah/policy.toml");
//! let policy = policy::Policy::parse(source, "policy.toml").unwrap();
//! assert_eq!(policy.action_for(analyse::Label::Abuse), Some(policy::Action::Delete));
//! ```

pub mod clause;
pub mod date;
pub mod error;
pub mod lint;
pub mod model;
pub mod post;
pub mod render;
mod schema;
pub mod settings;
pub mod source;
mod validate;

pub use clause::ClauseId;
pub use date::Date;
pub use error::{Diagnostic, ParseError};
pub use lint::{Finding, Severity, lint};
pub use model::*;
pub use render::{Format, render};
pub use source::Location;

impl Policy {
    /// Read and validate a policy file. `file` names it in messages; every problem found is
    /// returned, each with its file:line:column and field. Never panics.
    pub fn parse(source: &str, file: &str) -> Result<Policy, ParseError> {
        validate::parse(source, file)
    }
}
