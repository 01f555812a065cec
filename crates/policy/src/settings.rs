//! What the policy tells the analyser: the school's own terms, suppliers and accounts.

use std::borrow::Cow;

use analyse::Label;
use analyse::lexicon::term;

use crate::model::{Policy, TermGroup};

/// The source named in explanations of findings from the school's ethos lexicon.
pub const ETHOS_SOURCE: &str = "school policy: ethos lexicon";
/// The source named in explanations of findings from the school's political additions.
pub const POLITICAL_SOURCE: &str = "school policy: political lexicon";

impl Policy {
    /// The analyser's settings for this school.
    ///
    /// Ethos terms carry their category as the finding's kind (`alcohol`); political additions use
    /// the kind `political`, because the analyser's political label has no sub-kinds. Official
    /// accounts include closed channels: a link to the school's old page is still not a personal one.
    pub fn analyser_settings(&self) -> analyse::Settings {
        let mut extra_terms = Vec::new();
        for group in &self.lexicon.ethos {
            extra_terms.extend(terms(group, Label::Ethos, Cow::Owned(group.category.clone()), ETHOS_SOURCE));
        }
        for group in &self.lexicon.political {
            extra_terms.extend(terms(group, Label::Political, Cow::Borrowed("political"), POLITICAL_SOURCE));
        }
        let allowed_suppliers = self
            .suppliers
            .iter()
            .flat_map(|s| std::iter::once(s.name.clone()).chain(s.domains.iter().cloned()))
            .collect();
        let official_accounts = self
            .channels
            .iter()
            .flat_map(|c| c.handle.iter().map(|h| at_handle(h)).chain(c.url.iter().cloned()))
            .collect();
        let staff_personal_accounts = self.staff_accounts.iter().flat_map(|s| s.accounts.iter().cloned()).collect();
        analyse::Settings { extra_terms, allowed_suppliers, official_accounts, staff_personal_accounts }
    }
}

fn terms<'a>(
    group: &'a TermGroup,
    label: Label,
    kind: Cow<'static, str>,
    source: &'static str,
) -> impl Iterator<Item = analyse::lexicon::Term> + 'a {
    group.terms.iter().map(move |t| term(t, label, kind.clone(), group.score, None, Cow::Borrowed(source)))
}

/// Handles as the analyser expects them: with their `@`.
fn at_handle(handle: &str) -> String {
    if handle.starts_with('@') { handle.to_string() } else { format!("@{handle}") }
}
