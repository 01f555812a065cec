//! Political (P2.9): parties, elections, petitions, campaigns, politicians.
//!
//! Clear terms ("Tories", "general election", "sign the petition", "Keir Starmer") count on their own.
//! Party names that are also everyday words ("Labour", "Conservative", "Reform", "Greens", "Liberal")
//! and words that are political only sometimes ("election", "campaign", "government") are ambiguous in
//! the lexicon: they count when a political word stands within three words ("vote Reform", "the Labour
//! government"; an opinion such as "a disgrace" supports less), when the name is capitalised and
//! followed by what a party does ("Labour are…"), or when the same text is plainly political
//! elsewhere. Next to an everyday-sense word ("went into labour", "a conservative estimate") they are
//! dropped, unless a clearly political word stands beside them too ("voted Labour into power").

use super::context::{Around, Role};
use super::found::{Found, Item, SUPPORTED};
use super::{capitalised, sentence_start, source, term_why, union};
use crate::Label;
use crate::analysis::THRESHOLD;
use crate::detect::Scan;
use crate::lexicon::{Hit, Term};

/// How far a political word reaches to support an ambiguous term.
const CUE_WITHIN: usize = 3;
/// How far an everyday-sense word reaches to rule one out.
const COUNTER_WITHIN: usize = 2;
/// How much less a weight-0 cue supports than a weight-1 one: an opinion ("disgrace", weight 0.5)
/// makes "government" count, at 0.6, but less surely than "vote" does.
const OPINION_DISCOUNT: f32 = 0.2;
/// What a capital letter adds to an ambiguous party name in mid-sentence: a hint, not enough alone.
const CAPITAL_HINT: f32 = 0.1;

pub(super) fn judge(scan: &Scan, hit: &Hit, term: &Term, around: &Around, found: &mut Found) {
    let span = (hit.start, hit.end);
    let item = Item::new(Label::Political, term.kind.clone(), term.score, span).key(term.text.clone());
    if term.score >= THRESHOLD {
        found.push(item.why(term_why(term)));
        return;
    }
    let at = hit.folded;
    let capital = capitalised(&scan.text[hit.start..hit.end]);
    let counter = around.near(Label::Political, Role::Counter, at, COUNTER_WITHIN).is_some();
    let support = around
        .all_near(Label::Political, Role::Cue, at, CUE_WITHIN)
        .max_by(|a, b| a.cue.weight.total_cmp(&b.cue.weight).then(b.distance.cmp(&a.distance)))
        // An everyday-sense word beats an opinion ("the labour ward was a disgrace"), not a vote.
        .filter(|near| !counter || near.cue.weight >= 1.0);
    let verb = around.after(Label::Political, Role::VerbAfter, at, 1).filter(|_| capital);
    // A full-weight cue first, then a party's verb ("Labour are"), then an opinion.
    let best = match (support, verb) {
        (Some(s), Some(v)) => Some(if s.cue.weight >= 1.0 { s } else { v }),
        (s, v) => s.or(v),
    };
    if let Some(near) = best {
        let cue = around.words(&near.cue);
        // Take an adjacent cue into the span: the finding is "vote Reform", not "Reform".
        let span = if near.distance <= 1 { union(span, around.original(near.cue.folded)) } else { span };
        let why = format!("'{}' can be an everyday word; '{cue}' beside it makes it political", term.text);
        let score = SUPPORTED - (1.0 - near.cue.weight.min(1.0)) * OPINION_DISCOUNT;
        found.push(Item { span, ..item.why(why) }.scored(score.max(term.score)));
        return;
    }
    if counter {
        return;
    }
    let hint = if capital && !sentence_start(scan.text, hit.start) { CAPITAL_HINT } else { 0.0 };
    let why = format!("'{}' is ambiguous alone: no political word near it ({})", term.text, source(term));
    found.push(item.why(why).ambiguous().scored(term.score + hint));
}
