//! Gatehouse's text analyser.
//!
//! It reads any comment that arrives on a school's channel, or any post a member of staff drafts, and
//! says what in it breaks the school's policy: each finding names its label, the policy clause, a
//! score, the span of the original text and the evidence. It does no I/O: lexicons and model weights
//! are compiled in, and everything a school configures arrives in [`Settings`] and [`roster::Roster`].
//!
//! ```
//! let ctx = analyse::Context::new(analyse::Settings::default()).unwrap();
//! let analysis = analyse::analyse("ring me on 07700 900 123", &ctx);
//! assert!(analysis.has_kind(analyse::Label::PersonalInfo, "phone"));
//! ```

pub mod analysis;
pub mod corpus;
mod detect;
pub mod eval;
mod evidence;
pub mod fold;
pub mod label;
pub mod lexicon;
mod matcher;
pub mod model;
pub mod roster;

pub use analysis::{Analysis, Detector, Finding, THRESHOLD};
pub use label::Label;

use lexicon::{Lexicon, LexiconError, Term};

/// What the school's policy tells the analyser (the policy crate builds this from the policy file).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Terms the school adds: its ethos lexicon, political-lexicon additions.
    pub extra_terms: Vec<Term>,
    /// School-related suppliers that may be mentioned without counting as advertising (P2.10):
    /// names or web domains, matched case-insensitively.
    pub allowed_suppliers: Vec<String>,
    /// The school's own channels: handles (`@darulmadinah`) and URLs. Links to these are fine.
    pub official_accounts: Vec<String>,
    /// Known personal accounts of staff (P2.11): handles or URLs that must never be linked.
    pub staff_personal_accounts: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
    #[error("loading the {name} model: {problem}")]
    Model { name: &'static str, problem: String },
}

/// Everything built once for a school and shared by every analysis: the compiled lexicon, the
/// detectors' indexes, the models and, optionally, the roster index.
pub struct Context {
    settings: Settings,
    lexicon: Lexicon,
    detectors: detect::Detectors,
    names: Option<detect::names::Names>,
}

impl Context {
    pub fn new(settings: Settings) -> Result<Context, Error> {
        let mut terms = detect::builtin_terms()?;
        terms.extend(settings.extra_terms.iter().cloned());
        Ok(Context {
            lexicon: Lexicon::new(terms)?,
            detectors: detect::Detectors::new(&settings)?,
            settings,
            names: None,
        })
    }

    /// Also look for the names of these people (P2.6).
    pub fn with_roster(mut self, roster: &roster::Roster) -> Context {
        self.names = Some(detect::names::Names::new(roster));
        self
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }
}

/// Analyse one text: every finding, in order of where it starts.
pub fn analyse(text: &str, ctx: &Context) -> Analysis {
    let (folded, hits) = ctx.lexicon.scan(text);
    let tokens = model::features::tokens(text, &folded);
    let scan = detect::Scan { text, folded: &folded, hits: &hits, lexicon: &ctx.lexicon, tokens: &tokens };
    let mut findings = Vec::new();
    ctx.detectors.detect(&scan, &mut findings);
    if let Some(names) = &ctx.names {
        names.detect(&scan, &mut findings);
    }
    findings.sort_by_key(|f| (f.start, f.end, f.label));
    Analysis { findings }
}
