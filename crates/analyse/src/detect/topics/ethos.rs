//! Ethos (P2.13): posts and comments that do not follow the school's religious ethos.
//!
//! The categories are the school's: its policy lists terms with a category as the kind (`alcohol`,
//! `gambling`, `pork`, …), and the built-in lexicon supplies a default for a school with a religious
//! ethos. A term counts when it is offered or mentioned approvingly; it does not when the text says the
//! opposite: negated ("no alcohol at the fair", "we don't serve pork"), qualified as harmless ("halal
//! sausages", "turkey bacon", "alcohol-free"). A promoting word nearby ("free beer", "win a bottle of
//! wine") raises the score.
//!
//! Mockery of faith rarely has words of its own ("sky fairy" does): mostly it is a mocking word
//! ("fairy tale", "brainwashed", "a joke") within four words of a faith word ("religion", "the
//! Quran", "Ramadan"). A bare insult near a faith word ("oh my god that was stupid") stays weak unless
//! the faith word is the subject of it ("religion is stupid").

use super::context::{Around, Role};
use super::found::{Found, Item};
use super::{term_why, union};
use crate::Label;
use crate::detect::Scan;
use crate::lexicon::{Hit, Term};

/// The lexicon kind of faith words (triggers for mockery, never findings).
pub(super) const FAITH: &str = "faith";
const MOCKERY: &str = "mockery_of_faith";

/// How far back a negation reaches: "we don't serve pork or alcohol" negates both.
const NEGATOR_WITHIN: usize = 4;
const PROMOTION_WITHIN: usize = 3;
/// "Religion is just a fairy tale": four words from the faith word to the end of the mockery.
const MOCK_WITHIN: usize = 4;
/// What a faith word as the subject ("religion is …") adds to a mocking word after it.
const SUBJECT_BONUS: f32 = 0.2;
const MAX_SCORE: f32 = 0.95;

pub(super) fn judge(hit: &Hit, term: &Term, around: &Around, found: &mut Found) {
    let at = hit.folded;
    if around.before(Label::Ethos, Role::Qualifier, at, 1).is_some()
        || around.before(Label::Ethos, Role::Negator, at, NEGATOR_WITHIN).is_some()
        || around.after(Label::Ethos, Role::NegatorAfter, at, 1).is_some()
    {
        return;
    }
    let promotion = around
        .all_near(Label::Ethos, Role::Promotion, at, PROMOTION_WITHIN)
        .max_by(|a, b| a.cue.weight.total_cmp(&b.cue.weight));
    let mut why = term_why(term);
    let mut score = term.score;
    if let Some(p) = promotion {
        score = (score + p.cue.weight).min(MAX_SCORE);
        why.push_str(&format!("; promoted ('{}' nearby)", around.words(&p.cue)));
    }
    let item = Item::new(Label::Ethos, term.kind.clone(), score, (hit.start, hit.end)).key(term.text.clone());
    found.push(if term.score < crate::THRESHOLD { item.ambiguous() } else { item }.why(why));
}

/// A mocking word near a faith word.
pub(super) fn mockery(scan: &Scan, faith: &[&Hit], around: &Around, found: &mut Found) {
    for hit in faith {
        let at = hit.folded;
        let subject = around.after(Label::Ethos, Role::Copula, at, 1).is_some();
        let best = around
            .all_near(Label::Ethos, Role::Mock, at, MOCK_WITHIN)
            .filter(|m| around.before(Label::Ethos, Role::Negator, m.cue.folded, 2).is_none())
            .map(|m| {
                let after = m.cue.folded.0 >= at.1;
                let bonus = if after && subject { SUBJECT_BONUS } else { 0.0 };
                (m, (m.cue.weight + bonus).min(MAX_SCORE))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let Some((mock, score)) = best else { continue };
        let faith_words = &scan.text[hit.start..hit.end];
        let mock_words = around.words(&mock.cue);
        let span = union((hit.start, hit.end), around.original(mock.cue.folded));
        let why = format!("mocking '{mock_words}' within {} words of the faith word '{faith_words}'", mock.distance);
        found.push(Item::new(Label::Ethos, MOCKERY, score, span).key(mock_words.to_lowercase()).why(why));
    }
}
