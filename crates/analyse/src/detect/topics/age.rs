//! Age-inappropriate content (P2.16): what does not belong in a primary-school community, abusive
//! or not: sexual content, graphic violence, drugs and smoking, self-harm and suicide, adult content,
//! gambling advertising.
//!
//! Ambiguous words ("weed", "coke", "sex", "tits") count only with a word nearby that fixes their
//! meaning ("smoke weed", "a line of coke"), and are dropped next to their everyday sense ("weed the
//! garden", "diet coke", "sex education", "blue tits"). Negation ("say no to drugs", "smoke-free") and
//! the school teaching about a subject ("drugs awareness", "online safety lesson") damp a finding: the
//! subject is still there, so it is shown, but it does not count on its own.

use super::context::{Around, Role};
use super::found::{Found, Item, SUPPORTED};
use super::{term_why, union};
use crate::Label;
use crate::analysis::THRESHOLD;
use crate::lexicon::{Hit, Term};

const CUE_WITHIN: usize = 3;
const COUNTER_WITHIN: usize = 2;
const NEGATOR_WITHIN: usize = 2;
/// "Online safety talk for parents about sexting": the lesson is named a few words away.
const EDUCATIONAL_WITHIN: usize = 6;
const NEGATED: f32 = 0.4;
const EDUCATIONAL: f32 = 0.5;

pub(super) fn judge(hit: &Hit, term: &Term, around: &Around, found: &mut Found) {
    let at = hit.folded;
    let label = Label::AgeInappropriate;
    let mut span = (hit.start, hit.end);
    let mut item = Item::new(label, term.kind.clone(), term.score, span).key(term.text.clone());
    item.why = term_why(term);
    if term.score < THRESHOLD {
        let cue = around.near(label, Role::Cue, at, CUE_WITHIN);
        let counter = around.near(label, Role::Counter, at, COUNTER_WITHIN);
        match (cue, counter) {
            // The nearer word decides, and a tie goes to the everyday sense: "smoke weed in the
            // garden" is drugs, "selling weed killer" is not.
            (Some(near), c) if c.is_none_or(|c| near.distance < c.distance) => {
                if near.distance <= 1 {
                    span = union(span, around.original(near.cue.folded));
                }
                item.span = span;
                item.score = SUPPORTED;
                item.why =
                    format!("'{}' is ambiguous; '{}' beside it fixes its meaning", term.text, around.words(&near.cue));
            }
            (_, Some(_)) => return,
            _ => {
                item = item.ambiguous();
                item.why.push_str(", ambiguous alone");
            }
        }
    }
    if let Some(n) = around
        .before(label, Role::Negator, at, NEGATOR_WITHIN)
        .or_else(|| around.after(label, Role::NegatorAfter, at, 1))
    {
        let why = format!("negated by '{}'", around.words(&n.cue));
        item.settle(item.score * NEGATED, &why);
    }
    if let Some(n) = around.near(label, Role::Educational, at, EDUCATIONAL_WITHIN) {
        let why = format!("the school teaching about it ('{}')", around.words(&n.cue));
        item.settle(item.score * EDUCATIONAL, &why);
    }
    found.push(item);
}
