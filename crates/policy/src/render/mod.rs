//! The policy document, made from the same file that Gatehouse enforces.
//!
//! The document is first built as a small tree ([`doc`]) in the seed's section order (1 Purpose and
//! scope … 8 Related policies), then written out as Markdown or HTML. Building once and writing
//! twice keeps the two formats saying the same thing; each writer only knows how to escape and mark
//! up. Every rule carries its clause ID, visibly, so a reader can trace it to POLICY-MAP.md.

mod build;
pub(crate) mod doc;
mod html;
mod markdown;

use crate::model::Policy;

/// What to render the policy document as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CommonMark.
    Markdown,
    /// A complete, accessible HTML page (`lang="en-GB"`, one `h1`, headings in order, lists).
    Html,
}

/// The whole policy document.
pub fn render(policy: &Policy, format: Format) -> String {
    let document = build::document(policy);
    match format {
        Format::Markdown => markdown::write(&document),
        Format::Html => html::write(&document),
    }
}
